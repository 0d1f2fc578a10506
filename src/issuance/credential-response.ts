// The one way credentials are minted and answered, for /credential and /deferred_credential alike.
import type { JWK } from 'jose';
import type { MintedCredential } from '../domain/issuance.ts';
import type { Session } from '../domain/session.ts';
import { formatOf } from '../formats/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { CredentialConfiguration } from './configurations.ts';
import { reserveStatusIndex, STATUS_LIST_KIND, statusListUri } from './status.ts';

/**
 * CRED-20: one credential per proven holder key, all with the same claims, by the configuration's
 * format, each with its own random status list index (reserved here, before it is signed in).
 */
export function mintForHolders(
  deps: AppDeps,
  issuer: string,
  session: Session,
  config: CredentialConfiguration,
  holderJwks: JWK[],
  claims: Record<string, unknown>,
  /** The DID a proof named each key by, for formats whose subject is the holder's DID. */
  holderDids: ReadonlyArray<string | null | undefined> = [],
): Promise<MintedCredential[]> {
  const format = formatOf(config);
  const now = deps.now();
  const subjectId = session.options.subject_id;
  const kind = STATUS_LIST_KIND[config.format];
  return Promise.all(
    holderJwks.map(async (holderJwk, i) => {
      const holderDid = holderDids[i] ?? undefined;
      const status = await reserveStatusIndex(deps.store, kind, session.id, now);
      const reference = { uri: statusListUri(deps.config.publicUrl, status.list_id), idx: status.idx };
      const credential = await format.mint(config, claims, {
        issuer,
        key: deps.issuerKey,
        holderJwk,
        now,
        status: reference,
        ...(subjectId ? { subjectId } : {}),
        ...(holderDid ? { holderDid } : {}),
      });
      return { credential, status };
    }),
  );
}

/** CRED-20, DEF-05: `{ credentials: [{ credential }], notification_id }`. */
export function credentialResponseBody(credentials: MintedCredential[], notificationId: string) {
  return { credentials: credentials.map(({ credential }) => ({ credential })), notification_id: notificationId };
}
