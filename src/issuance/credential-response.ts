// The one way credentials are minted and answered, for /credential and /deferred_credential alike.
import type { JWK } from 'jose';
import type { Session } from '../domain/session.ts';
import { formatOf } from '../formats/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { CredentialConfiguration } from './configurations.ts';

/** CRED-20: one credential per proven holder key, all with the same claims, by the configuration's format. */
export function mintForHolders(
  deps: AppDeps,
  issuer: string,
  session: Session,
  config: CredentialConfiguration,
  holderJwks: JWK[],
  claims: Record<string, unknown>,
): Promise<string[]> {
  const format = formatOf(config);
  const now = deps.now();
  const subjectId = session.options.subject_id;
  return Promise.all(
    holderJwks.map((holderJwk) =>
      format.mint(config, claims, { issuer, key: deps.issuerKey, holderJwk, now, ...(subjectId ? { subjectId } : {}) }),
    ),
  );
}

/** CRED-20, DEF-05: `{ credentials: [{ credential }], notification_id }`. */
export function credentialResponseBody(credentials: string[], notificationId: string) {
  return { credentials: credentials.map((credential) => ({ credential })), notification_id: notificationId };
}
