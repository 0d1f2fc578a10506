// OID4VCI 1.0 Section 8: credential endpoint, jwt proofs (Appendix F), batch issuance.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkCredentialRequest } from '../checks/credential-request.ts';
import { passed } from '../checks/finding.ts';
import { decodeCompactJwt, isObject } from '../checks/jose-helpers.ts';
import { checkJwtProof, type ValidJwtProof } from '../checks/proof-jwt.ts';
import { ProtocolError } from '../diagnostics.ts';
import type { CredentialConfiguration } from '../issuance/configurations.ts';
import { decodeIssuedCredential } from '../issuance/decode-credential.ts';
import { DEFERRED_INTERVAL_S } from '../issuance/deferred.ts';
import { defaultClaims, mintForHolders, recordIssuance } from '../issuance/issued.ts';
import { BATCH_SIZE, PROOF_SIGNING_ALGS } from '../issuance/metadata.ts';
import type { Session } from '../store/sessions.ts';
import type { AppDeps } from './deps.ts';
import { authorizeResourceRequest } from './access-token-step.ts';
import { issueDpopNonce } from './dpop-step.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';

const PROOF_CHECKS = passed('PRF-01', 'PRF-02', 'PRF-03', 'PRF-04', 'PRF-05', 'PRF-06', 'PRF-07', 'PRF-08', 'PRF-09', 'PRF-10', 'PRF-14');
const D13_NOTE = { draft: 'OID4VCI draft 13 to 15 request shape', expected: 'OID4VCI 1.0' };

/** PRF-01..10 for every proof, PRF-14 distinct keys, PRF-08 live c_nonces. */
async function validProofs(request: FastifyRequest, deps: AppDeps, jwts: unknown[]): Promise<ValidJwtProof[]> {
  const proofs: ValidJwtProof[] = [];
  for (const [index, jwt] of jwts.entries()) {
    const checked = await checkJwtProof(jwt, { issuer: request.issuer.issuer, algs: PROOF_SIGNING_ALGS, nowMs: deps.now(), anonymous: true });
    if (!checked.ok) {
      const decoded = decodeCompactJwt(jwt);
      throw new ProtocolError(checked.finding.id, `proofs.jwt[${index}]: ${checked.finding.detail ?? 'invalid'}`, {
        data: decoded ? { jwts: [{ label: `Key proof ${index}`, ...decoded }] } : {},
      });
    }
    proofs.push(checked.value);
  }
  const keys = new Set(proofs.map((p) => p.jkt));
  if (keys.size !== proofs.length) throw new ProtocolError('PRF-14', `${proofs.length} proofs, ${keys.size} distinct keys`);

  const now = deps.now();
  for (const nonce of new Set(proofs.map((p) => p.nonce))) {
    const record = deps.store.nonces.getCNonce(nonce);
    const problem = !record ? 'never issued by the nonce endpoint' : record.consumed_at !== null ? 'already used for an issued credential' : record.expires_at <= now ? 'expired' : undefined;
    if (problem) throw new ProtocolError('PRF-08.unknown', `c_nonce ${problem}`);
    request.trail.note('debug', 'c_nonce accepted', { issued_s_ago: Math.round((now - record!.created_at) / 1000) });
  }
  request.trail.note('info', 'Key proofs validated', {
    holder_keys: proofs.map((p) => ({ jkt: p.jkt, jwk: p.jwk })),
    jwts: proofs.map((p, i) => ({ label: `Key proof ${i}`, header: p.header, payload: p.payload, checks: PROOF_CHECKS })),
  });
  return proofs;
}

/** PRF-08: each c_nonce is spent once, inside the transaction that issues or defers. */
function consumeNonces(deps: AppDeps, proofs: ValidJwtProof[], now: number): void {
  for (const nonce of new Set(proofs.map((p) => p.nonce))) {
    if (!deps.store.nonces.consumeCNonce(nonce, now)) throw new ProtocolError('PRF-08.unknown', 'c_nonce used by a concurrent request');
  }
}

/** CRED-21: accept the request for later; the tester or the offer's plan completes it. */
function deferRequest(
  request: FastifyRequest,
  deps: AppDeps,
  input: { session: Session; tokenHash: string; config: CredentialConfiguration; proofs: ValidJwtProof[] },
): string {
  const { store } = deps;
  const { session, config, proofs } = input;
  const transactionId = deps.secret();
  const now = deps.now();
  const alreadyPending = store.deferred.pendingForSession(session.id).some((t) => t.credential_configuration_id === config.id);
  store.transaction(() => {
    consumeNonces(deps, proofs, now);
    store.deferred.insert({
      transaction_id: transactionId,
      session_id: session.id,
      token_hash: input.tokenHash,
      credential_configuration_id: config.id,
      holder_jwks: proofs.map((p) => p.jwk),
      interval_s: DEFERRED_INTERVAL_S,
      created_at: now,
    });
    store.sessions.advance(session.id, 'awaiting_claims', now);
    store.events.add(session.id, 'awaiting_claims', { transaction_id: transactionId, credential_configuration_id: config.id }, now);
  });
  if (alreadyPending) {
    // A wallet that asks again instead of polling /deferred_credential usually did not understand the 202.
    request.trail.note('warn', 'Credential request repeated while a deferred request is pending', {
      help: 'Poll deferred_credential_endpoint with the transaction_id instead. Wallets on drafts 13 to 15 expect 400 issuance_pending rather than 202 (DEF-09).',
      spec_ref: 'OID4VCI 1.0 Sections 8.3, 9; draft 13 Section 9.2',
    });
  }
  request.trail.note('info', 'Credential request deferred (202)', {
    transaction_id: transactionId,
    interval: DEFERRED_INTERVAL_S,
    credential_configuration_id: config.id,
    holder_keys: proofs.map((p) => p.jkt),
    note: 'Supply the claims on the session page or with POST /api/sessions/<id>/claims. OID4VCI 1.0 answers 202; drafts 13 to 15 used 400 issuance_pending (DEF-09).',
  });
  return transactionId;
}

export function credentialRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function credential(app: FastifyInstance): Promise<void> {
    app.post(
      '/credential',
      { config: { endpoint: '/credential', resource: true, malformedBody: 'CRED-01.malformed', wrongMediaType: 'CRED-01.content_type' } },
      async (request, reply) => {
        const { token, session } = await authorizeResourceRequest(request, deps, '/credential');
        if (mediaType(request) !== 'application/json') {
          throw new ProtocolError('CRED-01.content_type', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
        }
        const parsed = checkCredentialRequest(request.body, BATCH_SIZE);
        if (!parsed.ok) {
          throw new ProtocolError(parsed.finding.id, parsed.finding.detail, { data: parsed.finding.id.startsWith('D13') ? D13_NOTE : {} });
        }
        if (isObject(request.body) && request.body.proof !== undefined) {
          request.trail.note('warn', 'Draft-13 proof member ignored', { ...D13_NOTE, help: 'OID4VCI 1.0 reads only proofs; drop the singular proof member.' });
        }
        const config: CredentialConfiguration = parsed.value.configuration;
        if (!token.credential_configuration_ids.includes(config.id)) {
          throw new ProtocolError('CRED-06', `"${config.id}" is not among ${token.credential_configuration_ids.join(', ')}`);
        }
        request.trail.note('info', 'Credential configuration resolved', { credential_configuration_id: config.id, format: config.format });

        const proofs = await validProofs(request, deps, parsed.value.proofJwts);
        if (session.options.dpop_nonce) reply.header('dpop-nonce', issueDpopNonce(deps));
        reply.header('cache-control', 'no-store');
        if (config.deferred) {
          const transactionId = deferRequest(request, deps, { session, tokenHash: token.token_hash, config, proofs });
          return reply.code(202).send({ transaction_id: transactionId, interval: DEFERRED_INTERVAL_S });
        }

        const credentials = await mintForHolders(deps, request.issuer.issuer, session, config, proofs.map((p) => p.jwk), defaultClaims(session, config));
        const now = deps.now();
        const notificationId = store.transaction(() => {
          consumeNonces(deps, proofs, now);
          return recordIssuance(deps, session, config, credentials, proofs.map((p) => p.jkt), now);
        });
        request.trail.note('info', `Credential issued (${credentials.length} × ${config.format})`, {
          credential_configuration_id: config.id,
          notification_id: notificationId,
          credentials: credentials.map(decodeIssuedCredential),
        });
        return reply.send({ credentials: credentials.map((credential) => ({ credential })), notification_id: notificationId });
      },
    );
    rejectOtherMethods(app, '/credential', '/credential');
  };
}
