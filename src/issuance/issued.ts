import type { JWK } from 'jose';
import { nanoid } from 'nanoid';
import { jwkThumbprint } from '../checks/jose-helpers.ts';
import type { Session } from '../domain/session.ts';
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
 * Records credentials handed to the wallet, with the notification_id the
 * response carries (NOT-02), the status and the event. Call inside the
 * transaction that makes the hand-out final.
 */
export async function recordIssuance(
  tx: Repositories,
  notificationId: string,
  session: Session,
  config: CredentialConfiguration,
  credentials: string[],
  holderJkts: string[],
  now: number,
): Promise<string> {
  for (const [i, credential] of credentials.entries()) {
    await tx.credentials.insert({
      id: nanoid(),
      session_id: session.id,
      credential_configuration_id: config.id,
      format: config.format,
      holder_jkt: holderJkts[i] ?? null,
      credential,
      created_at: now,
    });
  }
  await tx.notifications.insert(notificationId, session.id, config.id, now);
  await tx.sessions.advance(session.id, 'credential_issued', now);
  await tx.events.add(session.id, 'credential_issued', { credential_configuration_id: config.id, format: config.format, count: credentials.length, notification_id: notificationId }, now);
  return notificationId;
}
