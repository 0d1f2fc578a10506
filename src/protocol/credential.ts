// OID4VCI 1.0 Section 8: credential endpoint, batch and deferred issuance; proofs are resolved in proof-step.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkCredentialRequest } from '../checks/credential-request.ts';
import { failure } from '../checks/finding.ts';
import { ProtocolError, rejected } from '../diagnostics/index.ts';
import type { AccessTokenRecord } from '../domain/grants.ts';
import type { Session } from '../domain/session.ts';
import { formatOf } from '../formats/index.ts';
import type { CredentialConfiguration } from '../issuance/configurations.ts';
import { credentialResponseBody, mintForHolders } from '../issuance/credential-response.ts';
import { DEFERRED_INTERVAL_S } from '../issuance/deferred.ts';
import { defaultClaims, recordIssuance } from '../issuance/issued.ts';
import { BATCH_SIZE, proofTypesSupported } from '../issuance/metadata.ts';
import type { ResponseEncryption } from '../lifecycle/encryption.ts';
import { authorizeResourceRequest } from './access-token-step.ts';
import type { AppDeps } from './deps.ts';
import { issueDpopNonce } from './dpop-step.ts';
import { acceptEncryptedBodies, decryptedRequest, responseEncryption, sendResponse } from './encryption-step.ts';
import { rejectOtherMethods } from './post-only.ts';
import { type ProvenHolders, provenHolders } from './proof-step.ts';

const SUBJECT = 'Credential request';
const D13_NOTE = { draft: 'OID4VCI draft 13 to 15 request shape', expected: 'OID4VCI 1.0' };

interface Accepted {
  session: Session;
  token: AccessTokenRecord;
  config: CredentialConfiguration;
  holders: ProvenHolders;
  encryption: ResponseEncryption | null;
}

/** CRED-21: accept the request for later; the tester or the offer's plan completes it. */
async function deferRequest(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDeps,
  { session, token, config, holders, encryption }: Accepted,
) {
  const transactionId = deps.secret();
  const now = deps.now();
  const nonce = await request.trail.commit(deps.store, reply, 202, async (tx) => {
    const alreadyPending = (await tx.deferred.pendingForSession(session.id)).some(
      (t) => t.credential_configuration_id === config.id,
    );
    // A wallet that asks again instead of polling /deferred_credential usually did not understand the 202.
    if (alreadyPending) request.trail.warning('DEF-09.repeated');
    await tx.deferred.insert({
      transaction_id: transactionId,
      session_id: session.id,
      token_hash: token.token_hash,
      credential_configuration_id: config.id,
      holder_jwks: holders.keys.map((k) => k.jwk),
      holder_dids: holders.keys.map((k) => k.did ?? null),
      interval_s: DEFERRED_INTERVAL_S,
      created_at: now,
    });
    await tx.sessions.advance(session.id, 'awaiting_claims', now);
    const data = {
      transaction_id: transactionId,
      interval: DEFERRED_INTERVAL_S,
      credential_configuration_id: config.id,
      holder_keys: holders.keys.map((k) => k.jkt),
      c_nonces_issued_at: holders.nonceIssuedAt,
    };
    await request.trail.event(tx, session.id, 'awaiting_claims', data, now);
    return session.options.dpop_nonce ? issueDpopNonce(deps, tx) : undefined;
  });
  if (nonce) reply.header('dpop-nonce', nonce);
  return sendResponse(
    reply.code(202).header('cache-control', 'no-store'),
    { transaction_id: transactionId, interval: DEFERRED_INTERVAL_S },
    encryption,
  );
}

async function issueNow(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDeps,
  { session, config, holders, encryption }: Accepted,
) {
  const credentials = await mintForHolders(
    deps,
    request.issuer.issuer,
    session,
    config,
    holders.keys.map((k) => k.jwk),
    defaultClaims(session, config),
    holders.keys.map((k) => k.did),
  );
  const now = deps.now();
  const notificationId = deps.secret();
  const nonce = await request.trail.commit(deps.store, reply, 200, async (tx) => {
    await recordIssuance(tx, request.trail, {
      notificationId,
      session,
      config,
      credentials,
      holderJkts: holders.keys.map((k) => k.jkt),
      nonceIssuedAt: holders.nonceIssuedAt,
      now,
    });
    return session.options.dpop_nonce ? issueDpopNonce(deps, tx) : undefined;
  });
  if (nonce) reply.header('dpop-nonce', nonce);
  return sendResponse(reply.header('cache-control', 'no-store'), credentialResponseBody(credentials, notificationId), encryption);
}

export function credentialRoutes(deps: AppDeps) {
  return async function credential(app: FastifyInstance): Promise<void> {
    acceptEncryptedBodies(app);
    app.post(
      '/credential',
      {
        config: {
          endpoint: '/credential',
          resource: true,
          malformedBody: 'CRED-01.malformed',
          wrongMediaType: 'CRED-01.content_type',
        },
      },
      async (request, reply) => {
        const { token, session } = await authorizeResourceRequest(request, deps, '/credential');
        const { body, encrypted } = await decryptedRequest(request, deps, session, SUBJECT);
        // The proof types the session's issuer metadata offers.
        const proofTypes = Object.keys(proofTypesSupported(session.options.require_key_attestation));
        const parsed = checkCredentialRequest(body, BATCH_SIZE, proofTypes, token.credential_identifiers ?? null);
        if (!parsed.ok)
          throw rejected(parsed, { subject: SUBJECT, ...(parsed.failure.rule.startsWith('D13') ? { facts: D13_NOTE } : {}) });
        const config: CredentialConfiguration = parsed.value.configuration;
        const findings = [...parsed.findings];
        if (!token.credential_configuration_ids.includes(config.id)) {
          const detail = `"${config.id}" is not among ${token.credential_configuration_ids.join(', ')}`;
          throw new ProtocolError('CRED-06', detail, { findings: [...findings, failure('CRED-06', detail)], subject: SUBJECT });
        }
        findings.push({ rule: 'CRED-06', outcome: 'pass' });
        request.trail.check(SUBJECT, findings, { facts: { credential_configuration_id: config.id, format: config.format } });
        const encryption = responseEncryption(request, deps, session, body, encrypted, SUBJECT);

        const bindingMethods = formatOf(config).bindingMethods;
        const holders = await provenHolders(request, deps, {
          session,
          token,
          proofType: parsed.value.proofType,
          values: parsed.value.proofValues,
          bindingMethods,
        });
        const accepted = { session, token, config, holders, encryption };
        return config.deferred ? deferRequest(request, reply, deps, accepted) : issueNow(request, reply, deps, accepted);
      },
    );
    rejectOtherMethods(app, '/credential', '/credential');
  };
}
