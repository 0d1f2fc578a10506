// RFC 6749 Section 4.1.3, OID4VCI 1.0 Section 6.1: grant_type=authorization_code (TOK-09..17).
import type { FastifyReply } from 'fastify';
import { checkResource } from '../../checks/resource.ts';
import { type AuthorizationCodeRecord, checkCodeGrant } from '../../checks/token-grant-code.ts';
import type { AuthorizationCodeRow } from '../../domain/authorization.ts';
import { credentialConfigurations } from '../../issuance/configurations.ts';
import { AUTHORIZATION_CODE_GRANT } from '../../issuance/metadata.ts';
import { redactSecret } from '../../logging/redact.ts';
import { type GrantContext, proofKeyAndClient, refuse, refuseChecked, SUBJECT } from './grant-context.ts';
import { hashToken, sendTokens } from './issue-tokens.ts';

const asRecord = (row: AuthorizationCodeRow): AuthorizationCodeRecord => ({
  clientId: row.client_id,
  redirectUri: row.grant.redirect_uri,
  codeChallenge: row.grant.code_challenge,
  dpopJkt: row.grant.dpop_jkt,
  authorized: row.grant.authorized,
  issuedAt: row.issued_at,
  redeemedAt: row.redeemed_at,
});

export async function authorizationCodeGrant(ctx: GrantContext): Promise<FastifyReply> {
  const { request, deps, params, findings } = ctx;
  const given = params.get('code');
  const codeHash = given === undefined ? undefined : hashToken(given);
  const row = codeHash === undefined ? undefined : await deps.store.authorization.getCode(codeHash);
  if (row) request.trail.sessionId = row.session_id;
  const session = row ? await deps.store.sessions.get(row.session_id) : undefined;

  // DPoP and client authentication first: the code check needs the proof key and the client.
  const { dpop, client } = await proofKeyAndClient(ctx, session);
  if (session?.options.require_dpop) findings.push({ rule: 'TOK-13', outcome: 'pass' });

  const now = deps.now();
  const checked = checkCodeGrant(
    {
      code: given,
      redirectUri: params.get('redirect_uri'),
      codeVerifier: params.get('code_verifier'),
      clientId: client.clientId,
      dpopJkt: dpop?.jkt,
      authorizationDetails: params.get('authorization_details'),
      txCode: params.get('tx_code'),
    },
    row && asRecord(row),
    { nowMs: now, issuer: request.issuer.issuer, configurations: credentialConfigurations },
  );
  if (!checked.ok) {
    // RFC 6749 Section 10.5: a second use of a code suggests theft; what it issued is revoked with the refusal.
    const revoke =
      checked.revokeTokensOfCode && codeHash
        ? async (tx: Parameters<NonNullable<Parameters<typeof refuseChecked>[2]>>[0]) => {
            const revoked = await tx.authorization.revokeFamily(codeHash, now);
            await request.trail.event(
              tx,
              row!.session_id,
              'tokens_revoked',
              { reason: 'authorization code replayed', ...revoked },
              now,
            );
          }
        : undefined;
    refuseChecked(ctx, checked, revoke);
  }
  findings.push(...checked.findings);
  const grant = row!.grant;
  // WA-13, PAR-02: a code pushed by an attested client instance is redeemed by the same instance.
  if (grant.client_instance_jkt !== null) {
    if (client.instanceJkt === null)
      refuse(ctx, 'WA-13.missing', 'the code was pushed with a wallet attestation; the token request has none');
    if (client.instanceJkt !== grant.client_instance_jkt)
      refuse(ctx, 'WA-13.key', `attestation cnf key ${client.instanceJkt}, code pushed by ${grant.client_instance_jkt}`);
    findings.push({ rule: 'WA-13', outcome: 'pass' });
  }
  const resource = params.all('resource');
  if (resource.length > 0) {
    const target = checkResource(resource, request.issuer.issuer, 'TOK-17');
    if (target.outcome === 'fail') refuse(ctx, target.diagnostic!, target.detail);
    findings.push(target);
  }
  request.trail.check(SUBJECT, findings, {
    facts: { grant_type: AUTHORIZATION_CODE_GRANT, code: redactSecret(given!), client_id: client.clientId },
  });

  return sendTokens(
    request,
    ctx.reply,
    deps,
    {
      session: session!,
      dpopJkt: dpop?.jkt ?? null,
      clientId: client.clientId,
      instanceJkt: client.instanceJkt,
      authorized: checked.value.authorized,
      familyId: codeHash!,
      familyIssuedAt: row!.issued_at,
      refresh: session!.options.refresh_tokens !== false,
      event: 'token_exchanged',
      eventData: { grant_type: AUTHORIZATION_CODE_GRANT },
    },
    async (tx) => {
      if (!(await tx.authorization.redeemCode(codeHash!, now))) refuse(ctx, 'TOK-09.reused', 'redeemed by a concurrent request');
    },
  );
}
