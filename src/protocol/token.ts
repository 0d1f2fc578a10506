// OID4VCI 1.0 Section 6 (token endpoint), pre-authorized code grant; RFC 9449 Section 5 for DPoP binding.
import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { checkTxCode } from '../checks/tx-code.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import { PRE_AUTHORIZED_GRANT } from '../issuance/metadata.ts';
import type { PreAuthorizedCode } from '../domain/grants.ts';
import type { AppDeps } from './deps.ts';
import { authenticateClient } from './client-attestation-step.ts';
import { issueDpopNonce, verifyDpop } from './dpop-step.ts';
import { redactSecret } from './trail.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';

export const MAX_TX_CODE_ATTEMPTS = 5;
export const DPOP_TOKEN_TTL_S = 600;
// Unbound tokens must be short-lived (OID4VCI 1.0 Section 13.10).
export const BEARER_TOKEN_TTL_S = 300;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('base64url');

const formString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** TOK-04: a code we issued, unexpired, unused and not burnt by wrong tx_codes. */
function usableCode(code: PreAuthorizedCode | undefined, now: number, given: string): PreAuthorizedCode {
  if (!code) throw new ProtocolError('TOK-04.unknown', `code ${redactSecret(given)}`);
  if (code.burnt_at !== null) throw new ProtocolError('TOK-04.burnt');
  if (code.redeemed_at !== null) throw new ProtocolError('TOK-04.redeemed', `redeemed ${Math.round((now - code.redeemed_at) / 1000)} s ago`);
  if (code.expires_at <= now) throw new ProtocolError('TOK-04.expired', `expired ${Math.round((now - code.expires_at) / 1000)} s ago`);
  return code;
}

export function tokenRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function token(app: FastifyInstance): Promise<void> {
    app.post(
      '/token',
      { config: { endpoint: '/token', malformedBody: 'TOK-01.content_type', wrongMediaType: 'TOK-01.content_type' } },
      async (request, reply) => {
        if (mediaType(request) !== 'application/x-www-form-urlencoded' || !isObject(request.body)) {
          throw new ProtocolError('TOK-01.content_type', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
        }
        const body = request.body;
        const grantType = formString(body.grant_type);
        if (!grantType) throw new ProtocolError('TOK-02.missing');
        if (grantType !== PRE_AUTHORIZED_GRANT) throw new ProtocolError('TOK-02.unsupported', `grant_type "${grantType}"`);
        const given = formString(body['pre-authorized_code']);
        if (!given) throw new ProtocolError('TOK-03');

        const now = deps.now();
        const found = await store.codes.get(given);
        // Known but unusable codes are still logged on their session.
        if (found) request.trail.sessionId = found.session_id;
        const code = usableCode(found, now, given);
        const session = (await store.sessions.get(code.session_id))!;
        request.trail.note('info', 'Pre-authorized code resolved', { session_id: session.id, code: redactSecret(given) });

        const hasDpop = request.headers.dpop !== undefined;
        if (session.options.require_dpop && !hasDpop) throw new ProtocolError('TOK-13');
        const dpop = hasDpop ? await verifyDpop(request, deps, { path: '/token', requireNonce: session.options.dpop_nonce }) : undefined;
        // After the DPoP nonce challenge, so a wallet's retry does not look like a replayed PoP.
        const clientId = await authenticateClient(request, deps, session, formString(body.client_id));

        const txFinding = checkTxCode(code.tx_code, formString(body.tx_code));
        if (txFinding.outcome === 'fail') {
          if (txFinding.diagnostic === 'TOK-07') {
            const { attempts, burnt } = await store.codes.recordFailedTxCode(code.code, MAX_TX_CODE_ATTEMPTS, now);
            throw new ProtocolError('TOK-07', `${txFinding.detail}; attempt ${attempts} of ${MAX_TX_CODE_ATTEMPTS}${burnt ? ', the code is now invalidated' : ''}`);
          }
          throw new ProtocolError(txFinding.diagnostic!, txFinding.detail);
        }

        const accessToken = deps.secret();
        const tokenType = dpop ? 'DPoP' : 'Bearer';
        const expiresIn = dpop ? DPOP_TOKEN_TTL_S : BEARER_TOKEN_TTL_S;
        await store.transaction(async (tx) => {
          // The conditional UPDATE is what makes a racing duplicate lose.
          if (!(await tx.codes.redeem(code.code, now))) throw new ProtocolError('TOK-04.redeemed', 'redeemed by a concurrent request');
          await tx.tokens.insert({
            token_hash: hashToken(accessToken),
            session_id: session.id,
            token_type: tokenType,
            dpop_jkt: dpop?.jkt ?? null,
            client_id: clientId,
            credential_configuration_ids: session.credential_configuration_ids,
            created_at: now,
            expires_at: now + expiresIn * 1000,
          });
          await tx.sessions.advance(session.id, 'token_exchanged', now);
          await tx.events.add(session.id, 'token_exchanged', { token_type: tokenType, dpop_jkt: dpop?.jkt ?? null, client_id: clientId }, now);
        });
        request.trail.note('info', 'Access token issued', {
          access_token: redactSecret(accessToken),
          token_type: tokenType,
          expires_in: expiresIn,
          dpop_jkt: dpop?.jkt ?? null,
        });
        if (session.options.dpop_nonce) reply.header('dpop-nonce', await issueDpopNonce(deps));
        return reply
          .header('cache-control', 'no-store')
          .header('pragma', 'no-cache')
          .send({ access_token: accessToken, token_type: tokenType, expires_in: expiresIn });
      },
    );
    rejectOtherMethods(app, '/token', '/token');
  };
}
