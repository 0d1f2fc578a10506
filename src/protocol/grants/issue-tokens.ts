// The successful token response of every grant (OID4VCI 1.0 Section 6.2, TOK-18): the access token,
// a rotating refresh token (TOK-20, H-13) and, when authorization_details were used, the
// credential_identifiers the credential endpoint then accepts (CRED-11). One transaction with the
// grant's own consumption (code redeemed, refresh token rotated), so a racing duplicate loses.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestedCredential } from '../../checks/authorization-details.ts';
import { tokenResponse } from '../../checks/token-response.ts';
import type { Session } from '../../domain/session.ts';
import { sha256Url } from '../../hash.ts';
import type { Repositories } from '../../store/index.ts';
import type { AppDeps } from '../deps.ts';
import { issueDpopNonce } from '../dpop-step.ts';

export const DPOP_TOKEN_TTL_S = 600;
// Unbound tokens must be short-lived (OID4VCI 1.0 Section 13.10).
export const BEARER_TOKEN_TTL_S = 300;
/**
 * Refresh tokens live a week (the family at most REFRESH_FAMILY_MAX_AGE_S): longer than the longest
 * deferred plan an offer may set (ready_after_seconds up to 86,400), so a deferred credential stays
 * collectable with a refreshed access token.
 */
export const REFRESH_TOKEN_TTL_S = 7 * 24 * 3600;
/** Margin past a deferred plan for a token that cannot be refreshed (an anonymous pre-authorized client). */
const DEFERRED_MARGIN_S = 600;

export const hashToken = sha256Url;

export interface TokenGrant {
  session: Session;
  dpopJkt: string | null;
  clientId: string | null;
  /** cnf.jwk thumbprint of the client's wallet attestation (WA-13). */
  instanceJkt: string | null;
  /** What the tokens cover; via authorization_details makes the response carry credential_identifiers. */
  authorized: RequestedCredential[];
  /** The grant family: the code's hash, or the family of the refresh token. Replays revoke it. */
  familyId: string;
  familyIssuedAt: number;
  /** A refresh token is issued (never to a client that did not identify itself: it could not refresh). */
  refresh: boolean;
  event: 'token_exchanged' | 'token_refreshed';
  eventData: Record<string, unknown>;
}

/** The access token lifetime: longer only where no refresh can replace it during a deferred plan. */
function accessTokenTtl(grant: TokenGrant, refreshToken: string | undefined): number {
  const base = grant.dpopJkt ? DPOP_TOKEN_TTL_S : BEARER_TOKEN_TTL_S;
  const plan = grant.session.options.deferred?.ready_after_seconds;
  if (refreshToken !== undefined || plan === undefined) return base;
  return Math.max(base, plan + DEFERRED_MARGIN_S);
}

export async function sendTokens(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDeps,
  grant: TokenGrant,
  consume: (tx: Repositories) => Promise<void>,
): Promise<FastifyReply> {
  const now = deps.now();
  const accessToken = deps.secret();
  const refreshToken = grant.refresh && grant.clientId !== null ? deps.secret() : undefined;
  const expiresIn = accessTokenTtl(grant, refreshToken);
  const { body, credentialIdentifiers } = tokenResponse({
    accessToken,
    dpopBound: grant.dpopJkt !== null,
    expiresIn,
    ...(refreshToken ? { refreshToken } : {}),
    authorized: grant.authorized,
    newIdentifier: deps.secret,
  });
  const { session } = grant;
  const nonce = await request.trail.commit(deps.store, reply, 200, async (tx) => {
    await consume(tx);
    await tx.tokens.insert({
      token_hash: hashToken(accessToken),
      session_id: session.id,
      token_type: body.token_type,
      dpop_jkt: grant.dpopJkt,
      client_id: grant.clientId,
      credential_configuration_ids: [...new Set(grant.authorized.map((a) => a.credential_configuration_id))],
      created_at: now,
      expires_at: now + expiresIn * 1000,
      family_id: grant.familyId,
      credential_identifiers: credentialIdentifiers.length > 0 ? credentialIdentifiers : null,
    });
    if (refreshToken) {
      await tx.authorization.insertRefresh({
        token_hash: hashToken(refreshToken),
        session_id: session.id,
        family_id: grant.familyId,
        client_id: grant.clientId!,
        dpop_jkt: grant.dpopJkt,
        client_instance_jkt: grant.instanceJkt,
        authorized: grant.authorized,
        family_issued_at: grant.familyIssuedAt,
        created_at: now,
        expires_at: now + REFRESH_TOKEN_TTL_S * 1000,
      });
    }
    await tx.sessions.advance(session.id, 'token_exchanged', now);
    await request.trail.event(
      tx,
      session.id,
      grant.event,
      {
        ...grant.eventData,
        token_type: body.token_type,
        expires_in: expiresIn,
        dpop_jkt: grant.dpopJkt,
        client_id: grant.clientId,
        refresh_token_issued: refreshToken !== undefined,
        ...(credentialIdentifiers.length > 0
          ? { credential_identifiers: credentialIdentifiers.map((c) => c.credential_configuration_id) }
          : {}),
      },
      now,
    );
    return session.options.dpop_nonce ? issueDpopNonce(deps, tx) : undefined;
  });
  if (nonce) reply.header('dpop-nonce', nonce);
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(body);
}
