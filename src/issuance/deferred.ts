import { ProtocolError } from '../diagnostics/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { DeferredTransaction } from '../domain/issuance.ts';
import type { Session } from '../domain/session.ts';
import { findConfiguration } from './configurations.ts';
import { mintForHolders } from './credential-response.ts';

// OID4VCI 1.0 Section 9: the state machine of a deferred transaction, shared by
// the deferred endpoint, the tester's form, the claims API and automatic plans.

export const DEFERRED_INTERVAL_S = 5;

export type ClaimsSource = 'form' | 'api' | 'automatic';

/**
 * Completes every pending transaction of one configuration with these claims,
 * minting for the keys the wallet proved in its original request. Returns the
 * completed transaction ids; a transaction completed concurrently is skipped.
 */
export async function supplyClaims(
  deps: AppDeps,
  issuer: string,
  session: Session,
  configurationId: string,
  claims: Record<string, unknown>,
  source: ClaimsSource,
): Promise<string[]> {
  const config = findConfiguration(configurationId);
  const pending = (await deps.store.deferred.pendingForSession(session.id)).filter((t) => t.credential_configuration_id === configurationId);
  if (!config || pending.length === 0) throw new ProtocolError('API.claims.nothing_waiting', `configuration "${configurationId}"`);
  const minted = await Promise.all(pending.map((t) => mintForHolders(deps, issuer, session, config, t.holder_jwks, claims)));
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    const completed: string[] = [];
    // A transaction completed concurrently (another form submission, a plan) keeps what it got.
    for (const [i, t] of pending.entries()) {
      if (await tx.deferred.complete(t.transaction_id, minted[i]!, now)) completed.push(t.transaction_id);
    }
    if (completed.length > 0) {
      await tx.events.add(session.id, 'claims_supplied', { credential_configuration_id: configurationId, transaction_ids: completed, source }, now);
    }
    return completed;
  });
}

/** Refuses a pending transaction (DEF-06): the wallet gets credential_request_denied from now on. */
export function denyTransaction(deps: AppDeps, transaction: DeferredTransaction, source: ClaimsSource): Promise<boolean> {
  const now = deps.now();
  return deps.store.transaction(async (tx) => {
    if (!(await tx.deferred.deny(transaction.transaction_id, now))) return false;
    await tx.sessions.advance(transaction.session_id, 'credential_denied', now);
    await tx.events.add(transaction.session_id, 'credential_denied', { transaction_id: transaction.transaction_id, credential_configuration_id: transaction.credential_configuration_id, source }, now);
    return true;
  });
}

/** Whether the offer's automatic plan is due at this poll (pollNumber counts this one). */
export function automaticPlanDue(session: Session, transaction: DeferredTransaction, pollNumber: number, now: number): boolean {
  const plan = session.options.deferred;
  if (!plan) return false;
  const bySeconds = plan.ready_after_seconds !== undefined && now - transaction.created_at >= plan.ready_after_seconds * 1000;
  const byPolls = plan.ready_after_polls !== undefined && pollNumber >= plan.ready_after_polls;
  return bySeconds || byPolls;
}
