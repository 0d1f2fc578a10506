// The one way credentials are minted and handed out, for /credential and /deferred_credential alike.
import type { JWK } from 'jose';
import type { Session } from '../domain/session.ts';
import type { DecodedCredential } from '../formats/format.ts';
import { decodeCredential, formatOf } from '../formats/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { Repositories } from '../store/index.ts';
import type { CredentialConfiguration } from './configurations.ts';
import { recordIssuance } from './issued.ts';

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

export interface CredentialResponse {
  notificationId: string;
  /** CRED-20, DEF-05: `{ credentials: [{ credential }], notification_id }`. */
  body: { credentials: Array<{ credential: string }>; notification_id: string };
  /** Each credential as the log shows it. */
  decoded: DecodedCredential[];
}

/**
 * Hands credentials out: records them with their notification_id in one transaction, after `settle`
 * ran in it (spending the c_nonces, or marking the deferred transaction retrieved), so nothing is
 * recorded or sent when settling fails.
 */
export async function credentialResponse(
  deps: AppDeps,
  issued: { session: Session; config: CredentialConfiguration; credentials: string[]; holderJkts: string[] },
  settle: (tx: Repositories, now: number) => Promise<void>,
): Promise<CredentialResponse> {
  const { session, config, credentials, holderJkts } = issued;
  const now = deps.now();
  const notificationId = await deps.store.transaction(async (tx) => {
    await settle(tx, now);
    return recordIssuance(tx, deps.secret(), session, config, credentials, holderJkts, now);
  });
  return {
    notificationId,
    body: { credentials: credentials.map((credential) => ({ credential })), notification_id: notificationId },
    decoded: credentials.map((credential) => decodeCredential(config.format, credential)),
  };
}
