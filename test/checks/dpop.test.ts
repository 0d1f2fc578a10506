// checkDpopProof against spec-notes DPOP-01..11 (RFC 9449 Section 4.3). Every row changes exactly
// one thing in a valid, really signed ES256 proof and names the rule it covers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import {
  accessTokenHash,
  checkDpopProof,
  DPOP_MAX_AGE_S,
  DPOP_MAX_FUTURE_S,
  type DpopExpectations,
  normalizeHtu,
} from '../../src/checks/dpop.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { assertFinding, type Json, newKey, set, signJws, type TestKey, tamperSignature, without } from './jws-helpers.ts';

const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;
const HTU = 'https://issuer.example/token';
const ACCESS_TOKEN = 'at-7c0d1e2f';

const es256 = await newKey('ES256');
const otherEs256 = await newKey('ES256');
const ed25519 = await newKey('EdDSA');

const EXPECT: DpopExpectations = { htm: 'POST', htu: HTU, nowMs: NOW_MS, algs: ['ES256'] };

interface Row {
  rule: string;
  name: string;
  /** Expected finding id; null means the proof must be accepted. */
  id: DiagnosticId | null;
  header?: (header: Json) => void;
  payload?: (payload: Json) => void;
  /** Signs the proof (and, unless the header row says otherwise, supplies its jwk). Default: es256. */
  signer?: TestKey;
  /** Post-processing of the signed compact JWS. */
  jwt?: (jwt: string) => string;
  /** How the proof reaches the check as DPoP header lines. Default: one line. */
  lines?: (jwt: string) => string[];
  expect?: Partial<DpopExpectations>;
  todo?: string;
}

/** The valid baseline: a fresh ES256 proof for POST /token, then the row's one change. */
async function dpopLines(row: Row): Promise<string[]> {
  const signer = row.signer ?? es256;
  const header: Json = { typ: 'dpop+jwt', alg: signer.alg, jwk: signer.publicJwk };
  const payload: Json = { jti: 'jti-0001', htm: 'POST', htu: HTU, iat: NOW_S };
  row.header?.(header);
  row.payload?.(payload);
  const signed = await signJws(header, payload, signer.privateKey);
  const jwt = row.jwt ? row.jwt(signed) : signed;
  return row.lines ? row.lines(jwt) : [jwt];
}

const withToken: Partial<DpopExpectations> = { accessToken: ACCESS_TOKEN };
const ath = set('ath', accessTokenHash(ACCESS_TOKEN));

const rows: Row[] = [
  // baseline and tolerated variations
  { rule: 'DPOP-06', name: 'valid ES256 proof is accepted', id: null },
  {
    rule: 'DPOP-03',
    name: 'EdDSA (Ed25519) accepted when listed in algs',
    id: null,
    signer: ed25519,
    expect: { algs: ['ES256', 'EdDSA'] },
  },
  { rule: 'DPOP-06', name: 'unknown extra claims are ignored', id: null, payload: set('purpose', 'test') },
  { rule: 'DPOP-06', name: 'unknown extra header parameters are ignored', id: null, header: set('x-extra', 1) },
  { rule: 'DPOP-11', name: 'matching ath with an access token is accepted', id: null, payload: ath, expect: withToken },

  // DPOP-01: exactly one header holding one compact JWS
  { rule: 'DPOP-01', name: 'two DPoP headers', id: 'DPOP-01.multiple', lines: (jwt) => [jwt, jwt] },
  {
    rule: 'DPOP-01',
    name: 'malformed JWT (not three parts)',
    id: 'DPOP-01.malformed',
    jwt: (jwt) => jwt.split('.').slice(0, 2).join('.'),
  },
  { rule: 'DPOP-01', name: 'malformed JWT (parts are not JSON)', id: 'DPOP-01.malformed', jwt: () => 'not.a.jwt' },
  { rule: 'DPOP-01', name: 'malformed JWT (scheme prefix)', id: 'DPOP-01.malformed', jwt: (jwt) => `DPoP ${jwt}` },
  { rule: 'DPOP-01', name: 'two proofs joined into one header value', id: 'DPOP-01.malformed', jwt: (jwt) => `${jwt}, ${jwt}` },

  // DPOP-02: typ
  { rule: 'DPOP-02', name: 'typ JWT', id: 'DPOP-02', header: set('typ', 'JWT') },
  { rule: 'DPOP-02', name: 'typ missing', id: 'DPOP-02', header: without('typ') },
  { rule: 'DPOP-02', name: 'typ of a key proof', id: 'DPOP-02', header: set('typ', 'openid4vci-proof+jwt') },

  // DPOP-03: alg asymmetric and supported
  { rule: 'DPOP-03', name: 'alg none (unsigned)', id: 'DPOP-03', header: set('alg', 'none') },
  { rule: 'DPOP-03', name: 'alg HS256 (real HMAC)', id: 'DPOP-03', header: set('alg', 'HS256') },
  { rule: 'DPOP-03', name: 'EdDSA not in algs', id: 'DPOP-03', signer: ed25519 },

  // DPOP-04: public jwk present
  { rule: 'DPOP-04', name: 'jwk missing', id: 'DPOP-04.missing', header: without('jwk') },
  { rule: 'DPOP-04', name: 'jwk is a string', id: 'DPOP-04.missing', header: set('jwk', 'not-a-key') },
  { rule: 'DPOP-04', name: 'jwk contains the private key (d)', id: 'DPOP-04.private', header: set('jwk', es256.privateJwk) },

  // DPOP-05: signature
  { rule: 'DPOP-05', name: 'tampered signature', id: 'DPOP-05', jwt: tamperSignature },
  {
    rule: 'DPOP-05',
    name: 'signed by another key than jwk',
    id: 'DPOP-05',
    signer: otherEs256,
    header: set('jwk', es256.publicJwk),
  },

  // DPOP-06: required claims
  { rule: 'DPOP-06', name: 'jti missing', id: 'DPOP-06', payload: without('jti') },
  { rule: 'DPOP-06', name: 'htm missing', id: 'DPOP-06', payload: without('htm') },
  { rule: 'DPOP-06', name: 'htu missing', id: 'DPOP-06', payload: without('htu') },
  { rule: 'DPOP-06', name: 'iat missing', id: 'DPOP-06', payload: without('iat') },
  { rule: 'DPOP-06', name: 'ath missing when an access token is presented', id: 'DPOP-06', expect: withToken },
  { rule: 'DPOP-06', name: 'jti empty', id: 'DPOP-06', payload: set('jti', '') },
  { rule: 'DPOP-10', name: 'oversized jti (257 characters)', id: 'DPOP-06', payload: set('jti', 'j'.repeat(257)) },
  { rule: 'DPOP-06', name: 'iat is a string', id: 'DPOP-06', payload: set('iat', String(NOW_S)) },

  // DPOP-07: htm
  { rule: 'DPOP-07', name: 'htm GET for a POST', id: 'DPOP-07', payload: set('htm', 'GET') },
  { rule: 'DPOP-07', name: 'htm lower-case post (methods are case-sensitive)', id: 'DPOP-07', payload: set('htm', 'post') },

  // DPOP-08: htu
  { rule: 'DPOP-08', name: 'htu of another endpoint', id: 'DPOP-08', payload: set('htu', 'https://issuer.example/credential') },
  { rule: 'DPOP-08', name: 'htu on another host', id: 'DPOP-08', payload: set('htu', 'https://evil.example/token') },
  { rule: 'DPOP-08', name: 'htu with http scheme', id: 'DPOP-08', payload: set('htu', 'http://issuer.example/token') },
  { rule: 'DPOP-08', name: 'htu path differs in case', id: 'DPOP-08', payload: set('htu', 'https://issuer.example/TOKEN') },
  { rule: 'DPOP-08', name: 'htu is not a URL', id: 'DPOP-08', payload: set('htu', 'token') },
  { rule: 'DPOP-08', name: 'htu with a query is accepted', id: null, payload: set('htu', `${HTU}?foo=bar`) },
  { rule: 'DPOP-08', name: 'htu with a fragment is accepted', id: null, payload: set('htu', `${HTU}#frag`) },
  {
    rule: 'DPOP-08',
    name: 'htu with an upper-case host is accepted',
    id: null,
    payload: set('htu', 'https://ISSUER.Example/token'),
  },
  {
    rule: 'DPOP-08',
    name: 'htu with an upper-case scheme is accepted',
    id: null,
    payload: set('htu', 'HTTPS://issuer.example/token'),
  },
  {
    rule: 'DPOP-08',
    name: 'htu with explicit default port :443 is accepted',
    id: null,
    payload: set('htu', 'https://issuer.example:443/token'),
  },
  {
    rule: 'DPOP-08',
    name: 'htu with a percent-encoded unreserved character is accepted',
    id: null,
    payload: set('htu', 'https://issuer.example/%74oken'),
  },

  // DPOP-09: iat window (-300 s .. +30 s)
  { rule: 'DPOP-09', name: 'iat 1 h in the past', id: 'DPOP-09', payload: set('iat', NOW_S - 3600) },
  { rule: 'DPOP-09', name: 'iat 1 h in the future', id: 'DPOP-09', payload: set('iat', NOW_S + 3600) },
  { rule: 'DPOP-09', name: 'iat 10 s in the past is accepted', id: null, payload: set('iat', NOW_S - 10) },
  { rule: 'DPOP-09', name: 'iat 10 s in the future is accepted', id: null, payload: set('iat', NOW_S + 10) },
  { rule: 'DPOP-09', name: 'iat 60 s in the future (FAPI2: reject)', id: 'DPOP-09', payload: set('iat', NOW_S + 60) },
  { rule: 'DPOP-09', name: 'iat at the oldest accepted second', id: null, payload: set('iat', NOW_S - DPOP_MAX_AGE_S) },
  { rule: 'DPOP-09', name: 'iat one second too old', id: 'DPOP-09', payload: set('iat', NOW_S - DPOP_MAX_AGE_S - 1) },
  { rule: 'DPOP-09', name: 'iat at the latest accepted second', id: null, payload: set('iat', NOW_S + DPOP_MAX_FUTURE_S) },
  { rule: 'DPOP-09', name: 'iat one second too far ahead', id: 'DPOP-09', payload: set('iat', NOW_S + DPOP_MAX_FUTURE_S + 1) },

  // DPOP-11: ath
  {
    rule: 'DPOP-11',
    name: 'ath of another access token',
    id: 'DPOP-11',
    payload: set('ath', accessTokenHash('other-token')),
    expect: withToken,
  },
  {
    rule: 'DPOP-11',
    name: 'ath is the token itself, not its hash',
    id: 'DPOP-11',
    payload: set('ath', ACCESS_TOKEN),
    expect: withToken,
  },
  {
    rule: 'DPOP-11',
    name: 'ath with base64 padding',
    id: 'DPOP-11',
    payload: set('ath', `${accessTokenHash(ACCESS_TOKEN)}=`),
    expect: withToken,
  },
];

describe('checkDpopProof', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, row.todo ? { todo: row.todo } : {}, async () => {
      const result = await checkDpopProof(await dpopLines(row), { ...EXPECT, ...row.expect });
      assertFinding(result, row.id, row.rule);
    });
  }

  it('DPOP-12: returns the RFC 7638 thumbprint, normalised htu, jti, iat and nonce of a valid proof', async () => {
    const lines = await dpopLines({
      rule: 'DPOP-12',
      name: 'values',
      id: null,
      payload: (p) => Object.assign(p, { nonce: 'server-nonce', htu: `https://ISSUER.example:443/token?x=1` }),
    });
    const result = await checkDpopProof(lines, EXPECT);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.value.jkt, await calculateJwkThumbprint(es256.publicJwk));
    assert.equal(result.value.htu, HTU);
    assert.equal(result.value.jti, 'jti-0001');
    assert.equal(result.value.iat, NOW_S);
    assert.equal(result.value.nonce, 'server-nonce');
    assert.deepEqual(result.value.jwk, es256.publicJwk);
  });

  it('DPOP-13: a proof without nonce returns no nonce (the caller demands one)', async () => {
    const result = await checkDpopProof(await dpopLines({ rule: 'DPOP-13', name: 'no nonce', id: null }), EXPECT);
    assert.ok(result.ok);
    if (result.ok) assert.equal('nonce' in result.value, false);
  });
});

describe('normalizeHtu', () => {
  const cases: { rule: string; input: string; output: string | undefined }[] = [
    { rule: 'DPOP-08', input: 'https://issuer.example/token', output: 'https://issuer.example/token' },
    { rule: 'DPOP-08', input: 'HTTPS://ISSUER.EXAMPLE/token', output: 'https://issuer.example/token' },
    { rule: 'DPOP-08', input: 'https://issuer.example:443/token', output: 'https://issuer.example/token' },
    { rule: 'DPOP-08', input: 'http://issuer.example:80/token', output: 'http://issuer.example/token' },
    { rule: 'DPOP-08', input: 'https://issuer.example:8443/token', output: 'https://issuer.example:8443/token' },
    { rule: 'DPOP-08', input: 'https://issuer.example/token?a=1#b', output: 'https://issuer.example/token' },
    { rule: 'DPOP-08', input: 'https://issuer.example', output: 'https://issuer.example/' },
    { rule: 'DPOP-08', input: 'not a url', output: undefined },
  ];
  for (const { rule, input, output } of cases) {
    it(`${rule}: ${input}`, () => assert.equal(normalizeHtu(input), output));
  }
});

describe('accessTokenHash', () => {
  it('DPOP-11: matches the RFC 9449 Section 7.1 example (base64url, no padding)', () => {
    assert.equal(accessTokenHash('Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU'), 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo');
  });
});
