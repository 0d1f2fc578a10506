import type { JWK } from 'jose';
import { jwkThumbprint } from '../checks/jose-helpers.ts';
import type { MintedCredential } from '../domain/issuance.ts';
import type { Session } from '../domain/session.ts';
import type { Trail } from '../protocol/trail.ts';
import { randomToken } from '../random.ts';
import type { Repositories } from '../store/index.ts';
import type { CredentialConfiguration } from './configurations.ts';

/** Offer-time claims for this configuration, else its sample. */
export function defaultClaims(session: Session, config: CredentialConfiguration): Record<string, unknown> {
  return session.options.claims[config.id] ?? config.sample;
}

export function holderThumbprints(holderJwks: JWK[]): string[] {
  return holderJwks.map(jwkThumbprint);
}

/**
 * Records credentials handed to the wallet, with the notification_id the response carries
 * (NOT-02), the status, the event and the request's issued record. Call inside the transaction
 * that makes the hand-out final.
 */
export async function recordIssuance(
  tx: Repositories,
  trail: Trail,
  input: {
    notificationId: string;
    session: Session;
    config: CredentialConfiguration;
    credentials: MintedCredential[];
    holderJkts: string[];
    now: number;
    nonceIssuedAt?: number[];
    transactionId?: string;
  },
): Promise<void> {
  const { notificationId, session, config, credentials, now } = input;
  const ids: string[] = [];
  for (const [i, { credential, status }] of credentials.entries()) {
    const id = randomToken(16);
    ids.push(id);
    // The entry reserved at minting now names the credential, for the session's status controls.
    if (status && !(await tx.statusLists.attach(status.list_id, status.idx, session.id, id))) {
      throw new Error(`status entry ${status.list_id}#${status.idx} is not reserved for session ${session.id}`);
    }
    await tx.credentials.insert({
      id,
      session_id: session.id,
      credential_configuration_id: config.id,
      format: config.format,
      holder_jkt: input.holderJkts[i] ?? null,
      credential,
      created_at: now,
    });
  }
  await tx.notifications.insert(notificationId, session.id, config.id, now);
  await tx.sessions.advance(session.id, 'credential_issued', now);
  // The event type tells the timeline which step handed the credentials out.
  await trail.event(
    tx,
    session.id,
    input.transactionId ? 'deferred_credential_issued' : 'credential_issued',
    {
      credential_configuration_id: config.id,
      format: config.format,
      count: credentials.length,
      notification_id: notificationId,
      ...(input.transactionId ? { transaction_id: input.transactionId } : {}),
      ...(input.nonceIssuedAt ? { c_nonces_issued_at: input.nonceIssuedAt } : {}),
    },
    now,
  );
  trail.issued({
    credential_configuration_id: config.id,
    format: config.format,
    credential_ids: ids,
    notification_id: notificationId,
    ...(input.transactionId ? { transaction_id: input.transactionId } : {}),
  });
}
