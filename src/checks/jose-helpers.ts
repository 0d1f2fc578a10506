import { createHash, createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, type JWK, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface DecodedJwt {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/** Decodes without verifying; undefined when the value is not a compact JWS with JSON parts. */
export function decodeCompactJwt(value: unknown): DecodedJwt | undefined {
  if (typeof value !== 'string' || value.length > 16384 || !COMPACT_JWS.test(value)) return undefined;
  try {
    return { header: decodeProtectedHeader(value), payload: decodeJwt(value) };
  } catch {
    return undefined;
  }
}

export function privateMembers(jwk: JWK): string[] {
  return PRIVATE_JWK_MEMBERS.filter((member) => member in jwk);
}

export function isAsymmetricAlg(alg: unknown): alg is string {
  return typeof alg === 'string' && alg !== 'none' && !/^HS/i.test(alg);
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The JWS algorithms wallets sign proofs with, and the key each one needs (RFC 7518 Section 3.4, RFC 8037).
const JWS_KEYS: Record<string, { kty: string; crv: readonly string[]; hash: string | null }> = {
  ES256: { kty: 'EC', crv: ['P-256'], hash: 'sha256' },
  ES384: { kty: 'EC', crv: ['P-384'], hash: 'sha384' },
  ES512: { kty: 'EC', crv: ['P-521'], hash: 'sha512' },
  EdDSA: { kty: 'OKP', crv: ['Ed25519', 'Ed448'], hash: null },
  Ed25519: { kty: 'OKP', crv: ['Ed25519'], hash: null },
};

// Importing a JWK costs as much as verifying with it; a wallet's DPoP key signs every request of its flow.
const KEY_CACHE_SIZE = 1000;
const importedKeys = new Map<string, KeyObject>();

function importPublicJwk(jwk: JWK): KeyObject {
  const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y}`;
  let key = importedKeys.get(id);
  if (key) return key;
  key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as JsonWebKey, format: 'jwk' });
  if (importedKeys.size >= KEY_CACHE_SIZE) importedKeys.delete(importedKeys.keys().next().value!);
  importedKeys.set(id, key);
  return key;
}

/** A public key for alg from a JWK; a string says why the key does not fit. */
export function publicKeyFor(jwk: JWK, alg: string): KeyObject | string {
  const spec = JWS_KEYS[alg];
  if (!spec) return `alg ${alg} is not supported`;
  if (jwk.kty !== spec.kty || !spec.crv.includes(String(jwk.crv)))
    return `a ${String(jwk.kty)} ${String(jwk.crv)} key cannot verify ${alg}`;
  try {
    return importPublicJwk(jwk);
  } catch (error) {
    return `the jwk is not a usable public key: ${(error as Error).message}`;
  }
}

/**
 * Verifies a compact JWS with node:crypto: one synchronous call instead of a WebCrypto key import
 * and an asynchronous verify per proof, which dominated the cost of a credential request.
 * Returns null when the signature verifies, else the reason.
 */
export function verifyCompactJws(jwt: string, key: KeyObject, alg: string): string | null {
  const spec = JWS_KEYS[alg];
  if (!spec) return `alg ${alg} is not supported`;
  const lastDot = jwt.lastIndexOf('.');
  const signature = Buffer.from(jwt.slice(lastDot + 1), 'base64url');
  const signingInput = Buffer.from(jwt.slice(0, lastDot), 'ascii');
  try {
    return verify(spec.hash, signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature)
      ? null
      : 'signature verification failed';
  } catch (error) {
    return `signature verification failed: ${(error as Error).message}`;
  }
}

// RFC 7638 Section 3.2: the required members of each key type, in lexicographic order.
const THUMBPRINT_MEMBERS: Record<string, readonly string[]> = {
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
  RSA: ['e', 'kty', 'n'],
};

/** RFC 7638 SHA-256 thumbprint, base64url; synchronous, unlike jose's WebCrypto digest. */
export function jwkThumbprint(jwk: JWK): string {
  const members = THUMBPRINT_MEMBERS[String(jwk.kty)];
  if (!members) throw new Error(`no RFC 7638 thumbprint for kty ${String(jwk.kty)}`);
  const canonical = `{${members.map((m) => `${JSON.stringify(m)}:${JSON.stringify((jwk as Record<string, unknown>)[m])}`).join(',')}}`;
  return createHash('sha256').update(canonical).digest('base64url');
}
