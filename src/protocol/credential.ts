// OID4VCI 1.0 Section 8: credential endpoint, batch and deferred issuance; proofs are resolved in proof-step.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { checkCredentialRequest } from '../checks/credential-request.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import type { CredentialConfiguration } from '../issuance/configurations.ts';
import { credentialResponse, mintForHolders } from '../issuance/credential-response.ts';
import { DEFERRED_INTERVAL_S } from '../issuance/deferred.ts';
import { defaultClaims } from '../issuance/issued.ts';
import { BATCH_SIZE, proofTypesSupported } from '../issuance/metadata.ts';
import type { Session } from '../domain/session.ts';
import type { Repositories } from '../store/index.ts';
import type { AppDeps } from './deps.ts';
import { authorizeResourceRequest } from './access-token-step.ts';
import { issueDpopNonce } from './dpop-step.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';
import { provenHolders, type ProvenHolders } from './proof-step.ts';

const D13_NOTE = { draft: 'OID4VCI draft 13 to 15 request shape', expected: 'OID4VCI 1.0' };

/** PRF-08: each c_nonce is spent once, inside the transaction that issues or defers. */
async function consumeNonces(tx: Repositories, nonces: string[], now: number): Promise<void> {
  for (const nonce of nonces) {
    if (!(await tx.nonces.consumeCNonce(nonce, now))) throw new ProtocolError('PRF-08.unknown', 'c_nonce used by a concurrent request');
  }
}

/** CRED-21: accept the request for later; the tester or the offer's plan completes it. */
async function deferRequest(
  request: FastifyRequest,
  deps: AppDeps,
  input: { session: Session; tokenHash: string; config: CredentialConfiguration; holders: ProvenHolders },
): Promise<string> {
  const { store } = deps;
  const { session, config, holders } = input;
  const transactionId = deps.secret();
  const now = deps.now();
  const alreadyPending = await store.transaction(async (tx) => {
    const pending = (await tx.deferred.pendingForSession(session.id)).some((t) => t.credential_configuration_id === config.id);
    await consumeNonces(tx, holders.nonces, now);
    await tx.deferred.insert({
      transaction_id: transactionId,
      session_id: session.id,
      token_hash: input.tokenHash,
      credential_configuration_id: config.id,
      holder_jwks: holders.keys.map((k) => k.jwk),
      interval_s: DEFERRED_INTERVAL_S,
      created_at: now,
    });
    await tx.sessions.advance(session.id, 'awaiting_claims', now);
    await tx.events.add(session.id, 'awaiting_claims', { transaction_id: transactionId, credential_configuration_id: config.id }, now);
    return pending;
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
    holder_keys: holders.keys.map((k) => k.jkt),
    note: 'Supply the claims on the session page or with POST /api/sessions/<id>/claims. OID4VCI 1.0 answers 202; drafts 13 to 15 used 400 issuance_pending (DEF-09).',
  });
  return transactionId;
}

export function credentialRoutes(deps: AppDeps) {
  return async function credential(app: FastifyInstance): Promise<void> {
    app.post(
      '/credential',
      { config: { endpoint: '/credential', resource: true, malformedBody: 'CRED-01.malformed', wrongMediaType: 'CRED-01.content_type' } },
      async (request, reply) => {
        const { token, session } = await authorizeResourceRequest(request, deps, '/credential');
        if (mediaType(request) !== 'application/json') {
          throw new ProtocolError('CRED-01.content_type', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
        }
        // The proof types the session's issuer metadata offers.
        const proofTypes = Object.keys(proofTypesSupported(session.options.require_key_attestation));
        const parsed = checkCredentialRequest(request.body, BATCH_SIZE, proofTypes);
        if (!parsed.ok) {
          throw new ProtocolError(parsed.failure.diagnostic, parsed.failure.detail, { data: parsed.failure.diagnostic.startsWith('D13') ? D13_NOTE : {} });
        }
        if (isObject(request.body) && request.body.proof !== undefined) {
          request.trail.note('warn', 'Draft-13 proof member ignored', { ...D13_NOTE, help: 'OID4VCI 1.0 reads only proofs; drop the singular proof member.' });
        }
        const config: CredentialConfiguration = parsed.value.configuration;
        if (!token.credential_configuration_ids.includes(config.id)) {
          throw new ProtocolError('CRED-06', `"${config.id}" is not among ${token.credential_configuration_ids.join(', ')}`);
        }
        request.trail.note('info', 'Credential configuration resolved', { credential_configuration_id: config.id, format: config.format });

        const holders = await provenHolders(request, deps, { session, token, proofType: parsed.value.proofType, values: parsed.value.proofValues });
        if (session.options.dpop_nonce) reply.header('dpop-nonce', await issueDpopNonce(deps));
        reply.header('cache-control', 'no-store');
        if (config.deferred) {
          const transactionId = await deferRequest(request, deps, { session, tokenHash: token.token_hash, config, holders });
          return reply.code(202).send({ transaction_id: transactionId, interval: DEFERRED_INTERVAL_S });
        }

        const credentials = await mintForHolders(deps, request.issuer.issuer, session, config, holders.keys.map((k) => k.jwk), defaultClaims(session, config));
        const response = await credentialResponse(deps, { session, config, credentials, holderJkts: holders.keys.map((k) => k.jkt) }, (tx, now) =>
          consumeNonces(tx, holders.nonces, now),
        );
        request.trail.note('info', `Credential issued (${credentials.length} × ${config.format})`, {
          credential_configuration_id: config.id,
          notification_id: response.notificationId,
          credentials: response.decoded,
        });
        return reply.send(response.body);
      },
    );
    rejectOtherMethods(app, '/credential', '/credential');
  };
}
