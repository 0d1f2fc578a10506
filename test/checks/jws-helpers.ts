// Shared by dpop.test.ts and proof-jwt.test.ts: real keys and real JWS signatures made with jose.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { type CompactJWSHeaderParameters, CompactSign, type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Checked } from '../../src/checks/finding.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';

export type Json = Record<string, unknown>;

export interface TestKey {
  alg: string;
  publicJwk: JWK;
  privateJwk: JWK;
  privateKey: CryptoKey;
}

export async function newKey(alg: 'ES256' | 'ES384' | 'EdDSA'): Promise<TestKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
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

export const without =
  (...names: string[]) =>
  (o: Json) => {
    for (const name of names) delete o[name];
  };
export const set = (name: string, value: unknown) => (o: Json) => {
  o[name] = value;
};

/**
 * `id === null`: the input must be accepted, with a pass finding for `rule` and no fail; otherwise
 * rejected with exactly this diagnostic, reported as the last finding after passes of other rules.
 */
export function assertFinding(result: Checked<unknown>, id: DiagnosticId | null, rule?: string): void {
  const outcomes = result.findings.map((f) => `${f.rule}:${f.outcome}`).join(' ');
  if (id === null) {
    assert.ok(
      result.ok,
      result.ok ? '' : `expected acceptance, got ${result.failure.diagnostic} (${result.failure.detail ?? ''})`,
    );
    assert.ok(
      result.findings.every((f) => f.outcome !== 'fail'),
      `no finding may fail: ${outcomes}`,
    );
    if (rule)
      assert.ok(
        result.findings.some((f) => f.rule === rule && f.outcome !== 'fail'),
        `expected a finding for ${rule}: ${outcomes}`,
      );
    return;
  }
  assert.equal(result.ok, false, `expected ${id}, but the input was accepted`);
  if (result.ok) return;
  assert.equal(result.failure.diagnostic, id, `detail: ${result.failure.detail ?? ''}`);
  assert.deepEqual(result.findings.at(-1), result.failure, 'the failure is the last finding');
  const earlier = result.findings.slice(0, -1);
  assert.ok(
    earlier.every((f) => f.outcome !== 'fail'),
    `only the last finding fails: ${outcomes}`,
  );
  assert.ok(
    !earlier.some((f) => f.rule === result.failure.rule && f.outcome === 'pass'),
    `${result.failure.rule} cannot both pass and fail: ${outcomes}`,
  );
}
