// OID4VCI 1.0 Section 6 (token endpoint), pre-authorized code grant; RFC 9449 Section 5 for DPoP binding.
import type { FastifyInstance } from 'fastify';
import { sha256Url } from '../hash.ts';
import { failure, type Finding } from '../checks/finding.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { checkTxCode } from '../checks/tx-code.ts';
import type { PreAuthorizedCode } from '../domain/grants.ts';
import { ProtocolError, type DiagnosticId } from '../diagnostics/index.ts';
import { acceptedAlgs, PRE_AUTHORIZED_GRANT } from '../issuance/metadata.ts';
import { redactSecret } from '../logging/redact.ts';
import { authenticateClient } from './client-attestation-step.ts';
import type { AppDeps } from './deps.ts';
import { issueDpopNonce, verifyDpop } from './dpop-step.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';

export const MAX_TX_CODE_ATTEMPTS = 5;
export const DPOP_TOKEN_TTL_S = 600;
// Unbound tokens must be short-lived (OID4VCI 1.0 Section 13.10).
export const BEARER_TOKEN_TTL_S = 300;

export const hashToken = sha256Url;

const formString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const SUBJECT = 'Token request';

/** TOK-04: a code we issued, unexpired, unused and not burnt by wrong tx_codes. */
function usableCode(code: PreAuthorizedCode | undefined, now: number, given: string): { id: DiagnosticId; detail?: string } | undefined {
  if (!code) return { id: 'TOK-04.unknown', detail: `code ${redactSecret(given)}` };
  if (code.burnt_at !== null) return { id: 'TOK-04.burnt' };
  if (code.redeemed_at !== null) return { id: 'TOK-04.redeemed', detail: `redeemed ${Math.round((now - code.redeemed_at) / 1000)} s ago` };
  if (code.expires_at <= now) return { id: 'TOK-04.expired', detail: `expired ${Math.round((now - code.expires_at) / 1000)} s ago` };
  return undefined;
}

export function tokenRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function token(app: FastifyInstance): Promise<void> {
    app.post(
      '/token',
      { config: { endpoint: '/token', malformedBody: 'TOK-01.content_type', wrongMediaType: 'TOK-01.content_type' } },
      async (request, reply) => {
        const findings: Finding[] = [];
        const refuse = (id: DiagnosticId, detail?: string): never => {
          throw new ProtocolError(id, detail, { findings: [...findings, failure(id, detail)], subject: SUBJECT });
        };
        if (mediaType(request) !== 'application/x-www-form-urlencoded' || !isObject(request.body)) {
          refuse('TOK-01.content_type', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
        }
        findings.push({ rule: 'TOK-01', outcome: 'pass' });
        const body = request.body as Record<string, unknown>;
        const grantType = formString(body.grant_type);
        if (!grantType) refuse('TOK-02.missing');
        if (grantType !== PRE_AUTHORIZED_GRANT) refuse('TOK-02.unsupported', `grant_type "${grantType}"`);
        findings.push({ rule: 'TOK-02', outcome: 'pass' });
        const given = formString(body['pre-authorized_code']);
        if (!given) return refuse('TOK-03');
        findings.push({ rule: 'TOK-03', outcome: 'pass' });

        const now = deps.now();
        const code = await store.codes.get(given);
        // Known but unusable codes are still logged on their session.
        if (code) request.trail.sessionId = code.session_id;
        const unusable = usableCode(code, now, given);
        if (unusable) refuse(unusable.id, unusable.detail);
        findings.push({ rule: 'TOK-04', outcome: 'pass' });
        const session = (await store.sessions.get(code!.session_id))!;

        const hasDpop = request.headers.dpop !== undefined;
        if (session.options.require_dpop && !hasDpop) refuse('TOK-13');
        if (session.options.require_dpop) findings.push({ rule: 'TOK-13', outcome: 'pass' });
        const dpop = hasDpop ? await verifyDpop(request, deps, { path: '/token', requireNonce: session.options.dpop_nonce, algs: acceptedAlgs(session.options) }) : undefined;
        // After the DPoP nonce challenge, so a wallet's retry does not look like a replayed PoP.
        const clientId = await authenticateClient(request, deps, session, formString(body.client_id));

        const txFinding = checkTxCode(code!.tx_code, formString(body.tx_code));
        if (txFinding.outcome === 'fail') {
          if (txFinding.diagnostic === 'TOK-07') {
            // One conditional UPDATE counts the attempt, also when wrong codes race.
            const { attempts, burnt } = await store.codes.recordFailedTxCode(code!.code, MAX_TX_CODE_ATTEMPTS, now);
            refuse('TOK-07', `${txFinding.detail}; attempt ${attempts} of ${MAX_TX_CODE_ATTEMPTS}${burnt ? ', the code is now invalidated' : ''}`);
          }
          refuse(txFinding.diagnostic!, txFinding.detail);
        }
        findings.push(txFinding);
        request.trail.check(SUBJECT, findings, { facts: { grant_type: grantType, 'pre-authorized_code': redactSecret(given), client_id: clientId } });

        const accessToken = deps.secret();
        const tokenType = dpop ? 'DPoP' : 'Bearer';
        const expiresIn = dpop ? DPOP_TOKEN_TTL_S : BEARER_TOKEN_TTL_S;
        const nonce = await request.trail.commit(store, reply, 200, async (tx) => {
          // The conditional UPDATE is what makes a racing duplicate lose.
          if (!(await tx.codes.redeem(code!.code, now))) refuse('TOK-04.redeemed', 'redeemed by a concurrent request');
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
          await request.trail.event(tx, session.id, 'token_exchanged', { token_type: tokenType, expires_in: expiresIn, dpop_jkt: dpop?.jkt ?? null, client_id: clientId }, now);
          return session.options.dpop_nonce ? issueDpopNonce(deps, tx) : undefined;
        });
        if (nonce) reply.header('dpop-nonce', nonce);
        return reply
          .header('cache-control', 'no-store')
          .header('pragma', 'no-cache')
          .send({ access_token: accessToken, token_type: tokenType, expires_in: expiresIn });
      },
    );
    rejectOtherMethods(app, '/token', '/token');
  };
}
