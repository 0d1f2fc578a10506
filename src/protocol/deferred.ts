// OID4VCI 1.0 Section 9: deferred credential endpoint (DEF-01..08, DEF-10, DEF-11).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Finding, failure } from '../checks/finding.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { type DiagnosticId, ProtocolError } from '../diagnostics/index.ts';
import type { AccessTokenRecord } from '../domain/grants.ts';
import type { DeferredTransaction } from '../domain/issuance.ts';
import type { PollsRecord } from '../domain/log.ts';
import type { Session } from '../domain/session.ts';
import { findConfiguration } from '../issuance/configurations.ts';
import { credentialResponseBody } from '../issuance/credential-response.ts';
import { automaticPlanDue, completePending, denyPending, type MintedClaims, mintForPending } from '../issuance/deferred.ts';
import { defaultClaims, holderThumbprints, recordIssuance } from '../issuance/issued.ts';
import type { ResponseEncryption } from '../lifecycle/encryption.ts';
import { authorizeResourceRequest } from './access-token-step.ts';
import type { AppDeps } from './deps.ts';
import { issueDpopNonce } from './dpop-step.ts';
import { acceptEncryptedBodies, decryptedRequest, responseEncryption, sendResponse } from './encryption-step.ts';
import { rejectOtherMethods } from './post-only.ts';

const SUBJECT = 'Deferred credential request';

/** A token refreshed from the one the deferred request was made with (same grant family) may collect it. */
async function sameGrantFamily(deps: AppDeps, originalHash: string, token: AccessTokenRecord): Promise<boolean> {
  if (!token.family_id) return false;
  const original = await deps.store.tokens.get(originalHash);
  return original?.family_id === token.family_id;
}

/** DEF-02, DEF-03, DEF-08: a transaction of this token that is still to be handed out. */
async function transactionFor(
  request: FastifyRequest,
  deps: AppDeps,
  body: unknown,
  token: AccessTokenRecord,
): Promise<DeferredTransaction> {
  const findings: Finding[] = [];
  const refuse = (id: DiagnosticId, detail?: string): never => {
    throw new ProtocolError(id, detail, { findings: [...findings, failure(id, detail)], subject: SUBJECT });
  };
  if (!isObject(body)) return refuse('CRED-01.malformed', 'the body is not a JSON object');
  findings.push({ rule: 'CRED-01', outcome: 'pass' });
  if (typeof body.transaction_id !== 'string' || body.transaction_id === '') return refuse('DEF-02');
  findings.push({ rule: 'DEF-02', outcome: 'pass' });
  const transaction = await deps.store.deferred.get(body.transaction_id);
  if (!transaction) return refuse('DEF-03.unknown');
  if (transaction.token_hash !== token.token_hash && !(await sameGrantFamily(deps, transaction.token_hash, token)))
    refuse('DEF-08');
  findings.push({ rule: 'DEF-08', outcome: 'pass' });
  if (transaction.status === 'retrieved')
    refuse('DEF-03.retrieved', `retrieved ${Math.round((deps.now() - transaction.retrieved_at!) / 1000)} s ago`);
  findings.push({ rule: 'DEF-03', outcome: 'pass' });
  if (transaction.status === 'denied') refuse('DEF-06');
  request.trail.check(SUBJECT, findings, { facts: { transaction_id: transaction.transaction_id, status: transaction.status } });
  return transaction;
}

/** DEF-11, quiet logs: identical pending polls become one record with a count and the measured interval. */
function pollSummary(transaction: DeferredTransaction, now: number) {
  const gapMs = transaction.last_poll_at === null ? null : now - transaction.last_poll_at;
  const tooFast = gapMs !== null && gapMs < transaction.interval_s * 1000;
  return (previous: PollsRecord | undefined): PollsRecord => ({
    kind: 'polls',
    transaction_id: transaction.transaction_id,
    polls: (previous?.polls ?? 0) + 1,
    first_poll_at: previous?.first_poll_at ?? now,
    last_poll_at: now,
    interval_s: transaction.interval_s,
    gaps: (previous?.gaps ?? 0) + (gapMs === null ? 0 : 1),
    gap_sum_ms: (previous?.gap_sum_ms ?? 0) + (gapMs ?? 0),
    too_fast_polls: (previous?.too_fast_polls ?? 0) + (tooFast ? 1 : 0),
    last_request: { headers: {} },
  });
}

async function answerPending(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDeps,
  session: Session,
  transaction: DeferredTransaction,
  encryption: ResponseEncryption | null,
) {
  const now = deps.now();
  request.trail.aggregateAs(`deferred-poll:${transaction.transaction_id}`, pollSummary(transaction, now));
  const nonce = await request.trail.commit(deps.store, reply, 202, async (tx) => {
    // Inside the transaction the UPDATE locks the row: concurrent polls of one transaction take turns.
    await tx.deferred.recordPoll(transaction.transaction_id, now);
    return session.options.dpop_nonce ? issueDpopNonce(deps, tx) : undefined;
  });
  if (nonce) reply.header('dpop-nonce', nonce);
  return sendResponse(
    reply.code(202).header('cache-control', 'no-store'),
    { transaction_id: transaction.transaction_id, interval: transaction.interval_s },
    encryption,
  );
}

async function handOut(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: AppDeps,
  session: Session,
  transaction: DeferredTransaction,
  encryption: ResponseEncryption | null,
  planned?: MintedClaims,
) {
  const config = findConfiguration(transaction.credential_configuration_id)!;
  const now = deps.now();
  const notificationId = deps.secret();
  const { credentials, nonce } = await request.trail.commit(deps.store, reply, 200, async (tx) => {
    if (planned) await completePending(tx, request.trail, session, planned, 'automatic', now);
    // What the transaction holds now: the plan's credentials, or a tester's who completed it first.
    const ready = (await tx.deferred.get(transaction.transaction_id))?.credentials;
    // Racing polls: only the first one to flip ready -> retrieved gets the credentials.
    if (!ready || !(await tx.deferred.retrieve(transaction.transaction_id, now))) {
      throw new ProtocolError('DEF-03.retrieved', 'retrieved by a concurrent request', {
        findings: [failure('DEF-03.retrieved')],
        subject: SUBJECT,
      });
    }
    const holderJkts = holderThumbprints(transaction.holder_jwks);
    await recordIssuance(tx, request.trail, {
      notificationId,
      session,
      config,
      credentials: ready,
      holderJkts,
      now,
      transactionId: transaction.transaction_id,
    });
    return { credentials: ready, nonce: session.options.dpop_nonce ? await issueDpopNonce(deps, tx) : undefined };
  });
  if (nonce) reply.header('dpop-nonce', nonce);
  return sendResponse(reply.header('cache-control', 'no-store'), credentialResponseBody(credentials, notificationId), encryption);
}

export function deferredRoutes(deps: AppDeps) {
  return async function deferred(app: FastifyInstance): Promise<void> {
    acceptEncryptedBodies(app);
    app.post(
      '/deferred_credential',
      {
        config: {
          endpoint: '/deferred_credential',
          resource: true,
          malformedBody: 'CRED-01.malformed',
          wrongMediaType: 'CRED-01.content_type',
        },
      },
      async (request, reply) => {
        const { token, session } = await authorizeResourceRequest(request, deps, '/deferred_credential');
        const { body, encrypted } = await decryptedRequest(request, deps, session, SUBJECT);
        const transaction = await transactionFor(request, deps, body, token);
        // Section 9.1: this request's credential_response_encryption, whatever the first request sent.
        const encryption = responseEncryption(request, deps, session, body, encrypted, SUBJECT);
        const now = deps.now();
        if (transaction.status === 'pending' && automaticPlanDue(session, transaction, transaction.poll_count + 1, now)) {
          if (session.options.deferred!.outcome === 'deny') {
            throw new ProtocolError('DEF-06', "refused by the offer's automatic plan", {
              commit: async (tx) => void (await denyPending(tx, request.trail, transaction, 'automatic', now)),
            });
          }
          const config = findConfiguration(transaction.credential_configuration_id)!;
          const planned = await mintForPending(
            deps,
            request.issuer.issuer,
            session,
            config.id,
            defaultClaims(session, config),
            transaction,
          );
          return handOut(request, reply, deps, session, transaction, encryption, planned);
        }
        if (transaction.status === 'pending') return answerPending(request, reply, deps, session, transaction, encryption);
        return handOut(request, reply, deps, session, transaction, encryption);
      },
    );
    rejectOtherMethods(app, '/deferred_credential', '/deferred_credential');
  };
}
