// RFC 6749 Section 6: grant_type=refresh_token, rotating (RFC 9700 Section 4.14.2), DPoP- and
// client-instance-bound (TOK-20, WA-13), with very old families refused (H-13).
import type { FastifyReply } from 'fastify';
import { checkRefreshGrant, type RefreshTokenRecord } from '../../checks/token-grant-refresh.ts';
import type { RefreshTokenRow } from '../../domain/authorization.ts';
import { REFRESH_TOKEN_GRANT } from '../../issuance/metadata.ts';
import { type GrantContext, proofKeyAndClient, refuse, refuseChecked, SUBJECT } from './grant-context.ts';
import { hashToken, sendTokens } from './issue-tokens.ts';

const asRecord = (row: RefreshTokenRow): RefreshTokenRecord => ({
  familyId: row.family_id,
  clientId: row.client_id,
  dpopJkt: row.dpop_jkt,
  clientInstanceJkt: row.client_instance_jkt,
  authorized: row.authorized,
  familyIssuedAt: row.family_issued_at,
  expiresAt: row.expires_at,
  rotatedAt: row.rotated_at,
  revokedAt: row.revoked_at,
});

export async function refreshTokenGrant(ctx: GrantContext): Promise<FastifyReply> {
  const { request, deps, params, findings } = ctx;
  const given = params.get('refresh_token');
  const tokenHash = given === undefined ? undefined : hashToken(given);
  const row = tokenHash === undefined ? undefined : await deps.store.authorization.getRefresh(tokenHash);
  if (row) request.trail.sessionId = row.session_id;
  const session = row ? await deps.store.sessions.get(row.session_id) : undefined;

  const { dpop, client } = await proofKeyAndClient(ctx, session);

  const now = deps.now();
  const checked = checkRefreshGrant(
    {
      refreshToken: given,
      clientId: client.clientId,
      dpopJkt: dpop?.jkt,
      attestationJkt: client.instanceJkt ?? undefined,
      txCode: params.get('tx_code'),
    },
    row && asRecord(row),
    now,
  );
  if (!checked.ok) {
    const revoke =
      checked.revokeFamily && row
        ? async (tx: Parameters<NonNullable<Parameters<typeof refuseChecked>[2]>>[0]) => {
            const revoked = await tx.authorization.revokeFamily(row.family_id, now);
            await request.trail.event(
              tx,
              row.session_id,
              'tokens_revoked',
              { reason: 'refresh token replayed', ...revoked },
              now,
            );
          }
        : undefined;
    refuseChecked(ctx, checked, revoke);
  }
  findings.push(...checked.findings);
  request.trail.check(SUBJECT, findings, {
    facts: { grant_type: REFRESH_TOKEN_GRANT, client_id: client.clientId, family: row!.family_id.slice(0, 8) },
  });

  return sendTokens(
    request,
    ctx.reply,
    deps,
    {
      session: session!,
      dpopJkt: row!.dpop_jkt,
      clientId: client.clientId,
      instanceJkt: row!.client_instance_jkt,
      authorized: checked.value.authorized,
      familyId: row!.family_id,
      familyIssuedAt: row!.family_issued_at,
      refresh: true,
      event: 'token_refreshed',
      eventData: { grant_type: REFRESH_TOKEN_GRANT },
    },
    async (tx) => {
      // A racing refresh with the same token lost: refused, without revoking the winner's tokens.
      if (!(await tx.authorization.rotateRefresh(tokenHash!, now)))
        refuse(ctx, 'TOK-20.replayed', 'rotated by a concurrent request');
    },
  );
}
