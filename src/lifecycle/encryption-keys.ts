import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

// The issuer's key for encrypted credential requests (OID4VCI 1.0 Sections 10, 12.2.4): an
// ECDH-ES P-256 key published in credential_request_encryption.jwks, where every key needs a kid.

export const REQUEST_ENCRYPTION_ALG = 'ECDH-ES';

export interface RequestEncryptionKey {
  kid: string;
  privateKey: CryptoKey;
  /** What the metadata publishes: kty, crv, x, y, kid, use "enc", alg "ECDH-ES". */
  publicJwk: JWK;
}

/** A new private JWK to store; kid is its RFC 7638 thumbprint, like the issuer signing key's. */
export async function generateRequestEncryptionJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair(REQUEST_ENCRYPTION_ALG, { crv: 'P-256', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), use: 'enc', alg: REQUEST_ENCRYPTION_ALG };
}

export async function loadRequestEncryptionKey(privateJwk: JWK): Promise<RequestEncryptionKey> {
  if (privateJwk.d === undefined || typeof privateJwk.kid !== 'string')
    throw new Error('a request encryption key needs its private part and a kid');
  const { d: _d, ...publicJwk } = privateJwk;
  const privateKey = (await importJWK(privateJwk, REQUEST_ENCRYPTION_ALG)) as CryptoKey;
  return { kid: privateJwk.kid, privateKey, publicJwk: { ...publicJwk, use: 'enc', alg: REQUEST_ENCRYPTION_ALG } };
}
