import type { JWK } from 'jose';
import {
  generateRequestEncryptionJwk,
  loadRequestEncryptionKey,
  type RequestEncryptionKey,
} from '../lifecycle/encryption-keys.ts';
import { encryptionMetadata } from '../lifecycle/encryption-metadata.ts';
import type { Store } from '../store/index.ts';

/** The issuer's request encryption key, created on first start; nodes starting together agree on one. */
export async function loadOrCreateRequestEncryptionKey(store: Store, now: number): Promise<RequestEncryptionKey> {
  let row = await store.encryptionKeys.current();
  if (!row) {
    const jwk = await generateRequestEncryptionJwk();
    await store.encryptionKeys.insert({ kid: jwk.kid!, private_jwk: JSON.stringify(jwk), created_at: now });
    row = (await store.encryptionKeys.current())!;
  }
  return loadRequestEncryptionKey(JSON.parse(row.private_jwk) as JWK);
}

/** MD-09 for one session: encryption offered always, required when the offer said require_encryption. */
export function sessionEncryptionMetadata(keys: readonly RequestEncryptionKey[], requireEncryption: boolean | undefined) {
  return encryptionMetadata(keys, { required: requireEncryption === true });
}
