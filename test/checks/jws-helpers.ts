// Shared by dpop.test.ts and proof-jwt.test.ts: real keys and real JWS signatures made with jose.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CompactSign, exportJWK, generateKeyPair, type CompactJWSHeaderParameters, type CryptoKey, type JWK } from 'jose';
import type { DiagnosticId } from '../../src/diagnostics.ts';
import type { Checked } from '../../src/checks/finding.ts';

export type Json = Record<string, unknown>;

export interface TestKey {
  alg: string;
  publicJwk: JWK;
  privateJwk: JWK;
  privateKey: CryptoKey;
}

export async function newKey(alg: 'ES256' | 'ES384' | 'EdDSA'): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { alg, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey), privateKey };
}

/** The key an HS256 (symmetric) proof is signed with: a real MAC, which the checks must refuse. */
export const hmacSecret = new Uint8Array(randomBytes(32));

const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Signs header.payload with the key the header's alg calls for: `none` (or no alg)
 * gives an unsigned JWS, `HS*` an HMAC with hmacSecret, anything else the given key.
 */
export async function signJws(header: Json, payload: Json, key: CryptoKey): Promise<string> {
  if (header.alg === 'none' || header.alg === undefined) return `${b64json(header)}.${b64json(payload)}.`;
  const signingKey = typeof header.alg === 'string' && header.alg.startsWith('HS') ? hmacSecret : key;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as CompactJWSHeaderParameters)
    .sign(signingKey);
}

/** Changes the first signature character, so the JWS still parses but no longer verifies. */
export function tamperSignature(jwt: string): string {
  const [h, p, s] = jwt.split('.') as [string, string, string];
  return `${h}.${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
}

export const without = (...names: string[]) => (o: Json) => {
  for (const name of names) delete o[name];
};
export const set = (name: string, value: unknown) => (o: Json) => {
  o[name] = value;
};

/** `id === null`: the input must be accepted; otherwise rejected with exactly this finding id. */
export function assertFinding(result: Checked<unknown>, id: DiagnosticId | null): void {
  if (id === null) {
    assert.ok(result.ok, result.ok ? '' : `expected acceptance, got ${result.finding.id} (${result.finding.detail ?? ''})`);
    return;
  }
  assert.equal(result.ok, false, `expected ${id}, but the input was accepted`);
  if (!result.ok) assert.equal(result.finding.id, id, `detail: ${result.finding.detail ?? ''}`);
}
