// checkJwtProof against spec-notes PRF-01..10 (OID4VCI 1.0 Appendix F.1, F.4). Every row changes
// exactly one thing in a valid, really signed ES256 key proof and names the rule it covers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { checkJwtProof, PROOF_MAX_AGE_S, PROOF_MAX_FUTURE_S, type ProofExpectations } from '../../src/checks/proof-jwt.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { assertFinding, type Json, newKey, set, signJws, type TestKey, tamperSignature, without } from './jws-helpers.ts';

const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;
const ISSUER = 'https://issuer.example';
const C_NONCE = 'c-nonce-0001';

const es256 = await newKey('ES256');
const otherEs256 = await newKey('ES256');
const ed25519 = await newKey('EdDSA');

const EXPECT: ProofExpectations = { issuer: ISSUER, algs: ['ES256'], nowMs: NOW_MS, clientId: null };

// A syntactically plausible x5c entry: PRF-06 rejects the key form before any certificate is parsed.
const X5C = ['MIIBszCCAVmgAwIBAgIUeXl4'];

interface Row {
  rule: string;
  name: string;
  /** Expected finding id; null means the proof must be accepted. */
  id: DiagnosticId | null;
  header?: (header: Json) => void;
  payload?: (payload: Json) => void;
  signer?: TestKey;
  /** Replaces the signed compact JWS, e.g. to tamper with it or pass a non-string. */
  jwt?: (jwt: string) => unknown;
  expect?: Partial<ProofExpectations>;
  todo?: string;
}

/** The valid baseline: an ES256 proof with jwk, aud = issuer, fresh iat and a c_nonce, then the row's one change. */
async function proofJwt(row: Row): Promise<unknown> {
  const signer = row.signer ?? es256;
  const header: Json = { typ: 'openid4vci-proof+jwt', alg: signer.alg, jwk: signer.publicJwk };
  const payload: Json = { aud: ISSUER, iat: NOW_S, nonce: C_NONCE };
  row.header?.(header);
  row.payload?.(payload);
  const signed = await signJws(header, payload, signer.privateKey);
  return row.jwt ? row.jwt(signed) : signed;
}

const rows: Row[] = [
  // baseline and tolerated variations
  { rule: 'PRF-05', name: 'valid ES256 proof is accepted', id: null },
  { rule: 'PRF-02', name: 'EdDSA accepted when listed', id: null, signer: ed25519, expect: { algs: ['ES256', 'EdDSA'] } },
  { rule: 'PRF-05', name: 'unknown extra claims are ignored', id: null, payload: set('extra', { a: 1 }) },
  { rule: 'PRF-10', name: 'no iss with anonymous access is accepted', id: null },
  {
    rule: 'PRF-10',
    name: 'iss equal to the client_id is accepted',
    id: null,
    payload: set('iss', 'wallet-client'),
    expect: { clientId: 'wallet-client' },
  },
  {
    rule: 'PRF-10',
    name: 'iss other than the client_id',
    id: 'PRF-10',
    payload: set('iss', 'someone-else'),
    expect: { clientId: 'wallet-client' },
  },

  // malformed input (catalogue rule PRF-05)
  { rule: 'PRF-05', name: 'not a string', id: 'PRF-00.malformed', jwt: () => 42 },
  { rule: 'PRF-05', name: 'an object instead of a compact JWS', id: 'PRF-00.malformed', jwt: () => ({ jwt: 'x' }) },
  { rule: 'PRF-05', name: 'two parts only', id: 'PRF-00.malformed', jwt: (jwt) => jwt.split('.').slice(0, 2).join('.') },
  { rule: 'PRF-05', name: 'parts are not JSON', id: 'PRF-00.malformed', jwt: () => 'aaa.bbb.ccc' },

  // PRF-01: typ
  { rule: 'PRF-01', name: 'typ JWT', id: 'PRF-01', header: set('typ', 'JWT') },
  { rule: 'PRF-01', name: 'typ missing', id: 'PRF-01', header: without('typ') },
  { rule: 'PRF-01', name: 'typ of a DPoP proof', id: 'PRF-01', header: set('typ', 'dpop+jwt') },
  {
    rule: 'PRF-01',
    name: 'draft typ openid4vci-proof+JWT (case differs)',
    id: 'PRF-01',
    header: set('typ', 'openid4vci-proof+JWT'),
  },

  // PRF-02: alg
  { rule: 'PRF-02', name: 'alg none (unsigned)', id: 'PRF-02', header: set('alg', 'none') },
  { rule: 'PRF-02', name: 'alg HS256 (real HMAC)', id: 'PRF-02', header: set('alg', 'HS256') },
  { rule: 'PRF-02', name: 'EdDSA not in proof_signing_alg_values_supported', id: 'PRF-02', signer: ed25519 },
  { rule: 'PRF-02', name: 'alg missing', id: 'PRF-02', header: without('alg') },

  // PRF-03: exactly one key source
  { rule: 'PRF-03', name: 'kid and jwk together', id: 'PRF-03', header: set('kid', 'did:example:123#key-1') },
  { rule: 'PRF-03', name: 'x5c and jwk together', id: 'PRF-03', header: set('x5c', X5C) },
  { rule: 'PRF-03', name: 'no kid, jwk or x5c', id: 'PRF-03', header: without('jwk') },

  // PRF-06: key form must suit cryptographic_binding_methods_supported (jwk); x5c keys are bound as jwk
  {
    rule: 'PRF-03',
    name: 'x5c that is no certificate',
    id: 'PRF-03.x5c_malformed',
    header: (h) => {
      delete h.jwk;
      h.x5c = X5C;
    },
  },
  {
    rule: 'PRF-06',
    name: 'kid only (DID URL of a method not listed)',
    id: 'PRF-06.did_method',
    header: (h) => {
      delete h.jwk;
      h.kid = 'did:example:123#key-1';
    },
  },
  {
    rule: 'PRF-06',
    name: 'kid only (not a DID URL)',
    id: 'PRF-06',
    header: (h) => {
      delete h.jwk;
      h.kid = 'key-1';
    },
  },
  { rule: 'PRF-06', name: 'jwk is a string', id: 'PRF-06', header: set('jwk', 'not-a-key') },

  // PRF-04: private key material
  { rule: 'PRF-04', name: 'jwk contains the private key (d)', id: 'PRF-04', header: set('jwk', es256.privateJwk) },

  // PRF-05: signature
  { rule: 'PRF-05', name: 'tampered signature', id: 'PRF-05', jwt: tamperSignature },
  {
    rule: 'PRF-05',
    name: 'signed by another key than jwk',
    id: 'PRF-05',
    signer: otherEs256,
    header: set('jwk', es256.publicJwk),
  },

  // PRF-07: aud
  { rule: 'PRF-07', name: 'aud of another issuer', id: 'PRF-07', payload: set('aud', 'https://other.example') },
  { rule: 'PRF-07', name: 'aud with a trailing slash', id: 'PRF-07', payload: set('aud', `${ISSUER}/`) },
  { rule: 'PRF-07', name: 'aud as an array', id: 'PRF-07', payload: set('aud', [ISSUER]) },
  { rule: 'PRF-07', name: 'aud missing', id: 'PRF-07', payload: without('aud') },

  // PRF-09: iat (-300 s .. +30 s)
  { rule: 'PRF-09', name: 'iat missing', id: 'PRF-09', payload: without('iat') },
  { rule: 'PRF-09', name: 'iat is a string', id: 'PRF-09', payload: set('iat', String(NOW_S)) },
  { rule: 'PRF-09', name: 'iat 1 h old', id: 'PRF-09', payload: set('iat', NOW_S - 3600) },
  { rule: 'PRF-09', name: 'iat 1 h in the future', id: 'PRF-09', payload: set('iat', NOW_S + 3600) },
  { rule: 'PRF-09', name: 'iat 10 s old is accepted', id: null, payload: set('iat', NOW_S - 10) },
  { rule: 'PRF-09', name: 'iat 10 s ahead is accepted', id: null, payload: set('iat', NOW_S + 10) },
  { rule: 'PRF-09', name: 'iat one second too old', id: 'PRF-09', payload: set('iat', NOW_S - PROOF_MAX_AGE_S - 1) },
  { rule: 'PRF-09', name: 'iat one second too far ahead', id: 'PRF-09', payload: set('iat', NOW_S + PROOF_MAX_FUTURE_S + 1) },

  // PRF-10: iss with anonymous pre-authorized access
  { rule: 'PRF-10', name: 'iss present with anonymous access', id: 'PRF-10', payload: set('iss', 'wallet-client') },

  // PRF-08: nonce present (its validity is the caller's store lookup)
  { rule: 'PRF-08', name: 'nonce missing', id: 'PRF-08.missing', payload: without('nonce') },
  { rule: 'PRF-08', name: 'nonce empty', id: 'PRF-08.missing', payload: set('nonce', '') },
  { rule: 'PRF-08', name: 'nonce is a number', id: 'PRF-08.missing', payload: set('nonce', 12345) },
];

describe('checkJwtProof', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, row.todo ? { todo: row.todo } : {}, async () => {
      const result = await checkJwtProof(await proofJwt(row), { ...EXPECT, ...row.expect });
      assertFinding(result, row.id, row.rule);
    });
  }

  it('PRF-08: returns the nonce for the caller to check, plus the jwk and its thumbprint', async () => {
    const result = await checkJwtProof(await proofJwt({ rule: 'PRF-08', name: 'values', id: null }), EXPECT);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.value.nonce, C_NONCE);
    assert.deepEqual(result.value.jwk, es256.publicJwk);
    assert.equal(result.value.jkt, await calculateJwkThumbprint(es256.publicJwk));
  });
});
