import { ProtocolError } from '../diagnostics/index.ts';
import type { DeferredTransaction, MintedCredential } from '../domain/issuance.ts';
import type { Session } from '../domain/session.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { Trail } from '../protocol/trail.ts';
import type { Repositories } from '../store/index.ts';
import { type CredentialConfiguration, findConfiguration } from './configurations.ts';
import { mintForHolders } from './credential-response.ts';

// OID4VCI 1.0 Section 9: the state machine of a deferred transaction, shared by the deferred
// endpoint, the tester's form, the claims API and automatic plans. Minting happens before the
// transaction that completes; completing and refusing happen inside the caller's transaction.

export const DEFERRED_INTERVAL_S = 5;

export type ClaimsSource = 'form' | 'api' | 'automatic';

/** Credentials minted for pending transactions, ready to complete them. */
export interface MintedClaims {
  config: CredentialConfiguration;
  claims: Record<string, unknown>;
  pending: DeferredTransaction[];
  minted: MintedCredential[][];
}

/** Mints, for every pending transaction of one configuration, credentials for the keys the wallet proved. */
export async function mintForPending(
  deps: AppDeps,
  issuer: string,
  session: Session,
  configurationId: string,
  claims: Record<string, unknown>,
  only?: DeferredTransaction,
): Promise<MintedClaims> {
  const config = findConfiguration(configurationId);
  const pending = only
    ? [only]
    : (await deps.store.deferred.pendingForSession(session.id)).filter((t) => t.credential_configuration_id === configurationId);
  if (!config || pending.length === 0)
    throw new ProtocolError('API.claims.nothing_waiting', `configuration "${configurationId}"`);
  const minted = await Promise.all(
    pending.map((t) => mintForHolders(deps, issuer, session, config, t.holder_jwks, claims, t.holder_dids)),
  );
  return { config, claims, pending, minted };
}

/** Completes the transactions with what was minted; one completed concurrently keeps what it got. Returns the completed ids. */
export async function completePending(
  tx: Repositories,
  trail: Trail,
  session: Session,
  prepared: MintedClaims,
  source: ClaimsSource,
  now: number,
): Promise<string[]> {
  const completed: string[] = [];
  for (const [i, t] of prepared.pending.entries()) {
    if (await tx.deferred.complete(t.transaction_id, prepared.minted[i]!, now)) completed.push(t.transaction_id);
  }
  if (completed.length > 0) {
    await trail.event(
      tx,
      session.id,
      'claims_supplied',
      { credential_configuration_id: prepared.config.id, transaction_ids: completed, source },
      now,
    );
  }
  return completed;
}

/** Refuses a pending transaction (DEF-06): the wallet gets credential_request_denied from now on. */
export async function denyPending(
  tx: Repositories,
  trail: Trail,
  transaction: DeferredTransaction,
  source: ClaimsSource,
  now: number,
): Promise<boolean> {
  if (!(await tx.deferred.deny(transaction.transaction_id, now))) return false;
  await tx.sessions.advance(transaction.session_id, 'credential_denied', now);
  const data = {
    transaction_id: transaction.transaction_id,
    credential_configuration_id: transaction.credential_configuration_id,
    source,
  };
  await trail.event(tx, transaction.session_id, 'credential_denied', data, now);
  return true;
}

/** Whether the offer's automatic plan is due at this poll (pollNumber counts this one). */
export function automaticPlanDue(session: Session, transaction: DeferredTransaction, pollNumber: number, now: number): boolean {
  const plan = session.options.deferred;
  if (!plan) return false;
  const bySeconds = plan.ready_after_seconds !== undefined && now - transaction.created_at >= plan.ready_after_seconds * 1000;
  const byPolls = plan.ready_after_polls !== undefined && pollNumber >= plan.ready_after_polls;
  return bySeconds || byPolls;
}
