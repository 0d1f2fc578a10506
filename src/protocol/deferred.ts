// OID4VCI 1.0 Section 9: deferred credential endpoint (DEF-01..08, DEF-10, DEF-11).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isObject } from '../checks/jose-helpers.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import { findConfiguration } from '../issuance/configurations.ts';
import { credentialResponse } from '../issuance/credential-response.ts';
import { automaticPlanDue, denyTransaction, supplyClaims } from '../issuance/deferred.ts';
import { defaultClaims, holderThumbprints } from '../issuance/issued.ts';
import type { DeferredTransaction } from '../domain/issuance.ts';
import type { Session } from '../domain/session.ts';
import { authorizeResourceRequest } from './access-token-step.ts';
import type { AppDeps } from './deps.ts';
import { issueDpopNonce } from './dpop-step.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';
import { redactedHeaders } from './trail.ts';

/** DEF-03, DEF-08: a transaction of this token that is still to be handed out. */
async function transactionFor(deps: AppDeps, body: unknown, tokenHash: string): Promise<DeferredTransaction> {
  if (!isObject(body)) throw new ProtocolError('CRED-01.malformed', 'the body is not a JSON object');
  if (body.credential_response_encryption !== undefined) throw new ProtocolError('ENC-01.unsupported');
  if (typeof body.transaction_id !== 'string' || body.transaction_id === '') throw new ProtocolError('DEF-02');
  const transaction = await deps.store.deferred.get(body.transaction_id);
  if (!transaction) throw new ProtocolError('DEF-03.unknown');
  if (transaction.token_hash !== tokenHash) throw new ProtocolError('DEF-08');
  if (transaction.status === 'retrieved') throw new ProtocolError('DEF-03.retrieved', `retrieved ${Math.round((deps.now() - transaction.retrieved_at!) / 1000)} s ago`);
  if (transaction.status === 'denied') throw new ProtocolError('DEF-06');
  return transaction;
}

/** Runs the offer's automatic plan when due; returns the transaction as it now stands. */
async function applyAutomaticPlan(request: FastifyRequest, deps: AppDeps, session: Session, transaction: DeferredTransaction): Promise<DeferredTransaction> {
  if (transaction.status !== 'pending' || !automaticPlanDue(session, transaction, transaction.poll_count + 1, deps.now())) return transaction;
  if (session.options.deferred!.outcome === 'deny') {
    await denyTransaction(deps, transaction, 'automatic');
    request.trail.note('info', 'Deferred request denied by the offer\'s automatic plan', { transaction_id: transaction.transaction_id });
  } else {
    const config = findConfiguration(transaction.credential_configuration_id)!;
    await supplyClaims(deps, request.issuer.issuer, session, config.id, defaultClaims(session, config), 'automatic');
    request.trail.note('info', 'Claims supplied by the offer\'s automatic plan', { transaction_id: transaction.transaction_id });
  }
  return (await deps.store.deferred.get(transaction.transaction_id))!;
}

/** DEF-11, quiet logs: identical pending polls become one entry with a count and the measured interval. */
async function notePendingPoll(request: FastifyRequest, deps: AppDeps, transaction: DeferredTransaction): Promise<void> {
  const now = deps.now();
  const gapMs = transaction.last_poll_at === null ? null : now - transaction.last_poll_at;
  const tooFast = gapMs !== null && gapMs < transaction.interval_s * 1000;
  await deps.store.deferred.recordPoll(transaction.transaction_id, now);
  request.trail.aggregateAs(`deferred-poll:${transaction.transaction_id}`, (previous) => {
    const polls = Number(previous?.polls ?? 0) + 1;
    const gaps = Number(previous?.gaps ?? 0) + (gapMs === null ? 0 : 1);
    const gapSum = Number(previous?.gap_sum_ms ?? 0) + (gapMs ?? 0);
    const fast = Number(previous?.too_fast_polls ?? 0) + (tooFast ? 1 : 0);
    return {
      level: fast > 0 ? 'warn' : 'info',
      message: `Deferred credential pending: polled ${polls} time${polls === 1 ? '' : 's'}${fast > 0 ? `, ${fast} faster than the ${transaction.interval_s} s interval` : ''}`,
      data: {
        transaction_id: transaction.transaction_id,
        polls,
        first_poll_at: previous?.first_poll_at ?? now,
        last_poll_at: now,
        interval_s: transaction.interval_s,
        measured_interval_s: gaps === 0 ? null : Math.round(gapSum / gaps / 100) / 10,
        gaps,
        gap_sum_ms: gapSum,
        too_fast_polls: fast,
        ...(fast > 0 ? { help: 'Wait at least `interval` seconds between polls; no error code exists for this, so the issuer keeps answering 202 (DEF-11).' } : {}),
        last_request: { headers: redactedHeaders(request.headers), body: request.body },
      },
    };
  });
}

export function deferredRoutes(deps: AppDeps) {
  return async function deferred(app: FastifyInstance): Promise<void> {
    app.post(
      '/deferred_credential',
      { config: { endpoint: '/deferred_credential', resource: true, malformedBody: 'CRED-01.malformed', wrongMediaType: 'CRED-01.content_type' } },
      async (request, reply) => {
        const { token, session } = await authorizeResourceRequest(request, deps, '/deferred_credential');
        if (mediaType(request) !== 'application/json') throw new ProtocolError('CRED-01.content_type', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
        const transaction = await applyAutomaticPlan(request, deps, session, await transactionFor(deps, request.body, token.token_hash));
        if (session.options.dpop_nonce) reply.header('dpop-nonce', await issueDpopNonce(deps));
        reply.header('cache-control', 'no-store');
        if (transaction.status === 'denied') throw new ProtocolError('DEF-06');
        if (transaction.status === 'pending') {
          await notePendingPoll(request, deps, transaction);
          return reply.code(202).send({ transaction_id: transaction.transaction_id, interval: transaction.interval_s });
        }

        const config = findConfiguration(transaction.credential_configuration_id)!;
        const credentials = transaction.credentials!;
        const holderJkts = holderThumbprints(transaction.holder_jwks);
        const response = await credentialResponse(deps, { session, config, credentials, holderJkts }, async (tx, now) => {
          // Racing polls: only the first one to flip ready -> retrieved gets the credentials.
          if (!(await tx.deferred.retrieve(transaction.transaction_id, now))) throw new ProtocolError('DEF-03.retrieved', 'retrieved by a concurrent request');
        });
        request.trail.note('info', `Deferred credential issued (${credentials.length} × ${config.format})`, {
          transaction_id: transaction.transaction_id,
          notification_id: response.notificationId,
          credentials: response.decoded,
        });
        return reply.send(response.body);
      },
    );
    rejectOtherMethods(app, '/deferred_credential', '/deferred_credential');
  };
}
