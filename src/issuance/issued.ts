import { calculateJwkThumbprint, type JWK } from 'jose';
import { nanoid } from 'nanoid';
import type { AppDeps } from '../protocol/deps.ts';
import type { Session } from '../store/sessions.ts';
import type { CredentialConfiguration } from './configurations.ts';
import { mintCredential } from './formats/index.ts';

/** Offer-time claims for this configuration, else its sample. */
export function defaultClaims(session: Session, config: CredentialConfiguration): Record<string, unknown> {
  return session.options.claims[config.id] ?? config.sample;
}

/** One credential per proven holder key, all with the same claims (CRED-20). */
export function mintForHolders(
  deps: AppDeps,
  issuer: string,
  session: Session,
  config: CredentialConfiguration,
  holderJwks: JWK[],
  claims: Record<string, unknown>,
): Promise<string[]> {
  const now = deps.now();
  return Promise.all(
    holderJwks.map((holderJwk) =>
      mintCredential({
        issuer,
        key: deps.issuerKey,
        config,
        claims,
        holderJwk,
        now,
        ...(session.options.subject_id ? { subjectId: session.options.subject_id } : {}),
      }),
    ),
  );
}

export function holderThumbprints(holderJwks: JWK[]): Promise<string[]> {
  return Promise.all(holderJwks.map((jwk) => calculateJwkThumbprint(jwk)));
}

/**
 * Records credentials handed to the wallet, with the notification_id the
 * response carries (NOT-02), the status and the event. Call inside the
 * transaction that makes the hand-out final.
 */
export function recordIssuance(
  deps: AppDeps,
  session: Session,
  config: CredentialConfiguration,
  credentials: string[],
  holderJkts: string[],
  now: number,
): string {
  const { store } = deps;
  const notificationId = deps.secret();
  credentials.forEach((credential, i) =>
    store.credentials.insert({
      id: nanoid(),
      session_id: session.id,
      credential_configuration_id: config.id,
      format: config.format,
      holder_jkt: holderJkts[i] ?? null,
      credential,
      created_at: now,
    }),
  );
  store.notifications.insert(notificationId, session.id, config.id, now);
  store.sessions.advance(session.id, 'credential_issued', now);
  store.events.add(session.id, 'credential_issued', { credential_configuration_id: config.id, format: config.format, count: credentials.length, notification_id: notificationId }, now);
  return notificationId;
}
