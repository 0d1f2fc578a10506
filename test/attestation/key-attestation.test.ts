// checkKeyAttestation against spec-notes KA-01..07 and PRF-11..13 (OID4VCI 1.0 Appendix D.1, HAIP
// 1.0 Section 4.5.1). Every row changes one thing in a valid key attestation that is really signed
// by a CA-issued certificate, and names the finding (or warning) it expects.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import type { TrustAnchor } from '../../src/attestation/trust.ts';
import {
  attestationNonceFinding,
  checkKeyAttestation,
  type KeyAttestationExpectations,
  type KeyAttestationResult,
  proofKeyAttested,
} from '../../src/checks/key-attestation.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { keyAttestationDiagnostics } from '../../src/diagnostics/key-attestation.ts';
import { walletAttestationDiagnostics } from '../../src/diagnostics/wallet-attestation.ts';
import { anchorOf, type Cert, DAY_MS, issue, type Json, jwkAnchor, keyPair, rootCa, selfSignedLeaf, sign } from './pki.ts';

const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;
const C_NONCE = 'c-nonce-0001';
const at = { nowMs: NOW_MS };

const root = await rootCa('Key Attester Root', at);
const signer = await issue('Key Attester', root, at);
const otherRoot = await rootCa('Unknown Root', at);
const untrusted = await issue('Unknown Attester', otherRoot, at);
const selfSigned = await selfSignedLeaf('Self Attester', at);
const expiredSigner = await issue('Expired Attester', root, {
  ...at,
  notBefore: NOW_MS - 400 * DAY_MS,
  notAfter: NOW_MS - DAY_MS,
});
const bare = await keyPair();
const holder = await keyPair();
const second = await keyPair();
const rsa = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey);
const ed25519 = await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).publicKey);

const ROOT = anchorOf(root, 'key_attestation', 'Key Attester Root');
const EXPECT: KeyAttestationExpectations = {
  algs: ['ES256'],
  nowMs: NOW_MS,
  anchors: [ROOT],
  usedWith: 'jwt',
  nonceRequired: true,
  strict: false,
};
const { y: _y, ...ecWithoutY } = holder.publicJwk;

interface Row {
  rule: string;
  name: string;
  /** Expected finding; null means accepted. */
  id: DiagnosticId | null;
  /** A warning the accepted attestation must carry. */
  warning?: DiagnosticId;
  header?: (h: Json) => void;
  payload?: (p: Json) => void;
  /** Who signs: the certificate (its key) or a bare key. */
  by?: Cert | { privateKey: CryptoKey };
  jwt?: (jwt: string) => unknown;
  expect?: Partial<KeyAttestationExpectations>;
}

const set = (name: string, value: unknown) => (o: Json) => void (o[name] = value);
const without =
  (...names: string[]) =>
  (o: Json) => {
    for (const n of names) delete o[n];
  };
const x5c = (...certs: Cert[]) =>
  set(
    'x5c',
    certs.map((c) => c.b64),
  );

async function attestation(row: Row): Promise<unknown> {
  const header: Json = { typ: 'key-attestation+jwt', alg: 'ES256', x5c: [signer.b64] };
  const payload: Json = {
    iss: 'https://attester.example',
    iat: NOW_S - 10,
    exp: NOW_S + 3600,
    attested_keys: [holder.publicJwk, second.publicJwk],
    key_storage: ['iso_18045_high'],
    user_authentication: ['iso_18045_moderate'],
    nonce: C_NONCE,
  };
  row.header?.(header);
  row.payload?.(payload);
  const jwt = await sign(header, payload, (row.by ?? signer).privateKey as CryptoKey);
  return row.jwt ? row.jwt(jwt) : jwt;
}

const rows: Row[] = [
  { rule: 'KA-02', name: 'valid key attestation is accepted', id: null },
  {
    rule: 'KA-01',
    name: 'pre-1.0 typ keyattestation+jwt: accepted with a warning',
    id: null,
    warning: 'KA-01.legacy_typ',
    header: set('typ', 'keyattestation+jwt'),
  },
  {
    rule: 'KA-01',
    name: 'pre-1.0 typ keyattestation+jwt: rejected when strict',
    id: 'KA-01.legacy_typ',
    header: set('typ', 'keyattestation+jwt'),
    expect: { strict: true },
  },
  { rule: 'KA-01', name: 'typ JWT', id: 'KA-01.typ', header: set('typ', 'JWT') },
  { rule: 'KA-01', name: 'typ missing', id: 'KA-01.typ', header: without('typ') },
  { rule: 'KA-01', name: 'typ of a key proof', id: 'KA-01.typ', header: set('typ', 'openid4vci-proof+jwt') },
  { rule: 'KA-01', name: 'not a string', id: 'KA-01.malformed', jwt: () => 42 },
  { rule: 'KA-01', name: 'two parts only', id: 'KA-01.malformed', jwt: (j) => j.split('.').slice(0, 2).join('.') },
  { rule: 'KA-01', name: 'alg none', id: 'KA-01.alg', header: set('alg', 'none') },
  { rule: 'PRF-13', name: 'alg not in proof_signing_alg_values_supported', id: 'KA-01.alg', expect: { algs: ['ES384'] } },
  { rule: 'KA-02', name: 'no x5c, kid or jwk', id: 'KA-02.x5c_missing', header: without('x5c') },
  {
    rule: 'KA-02',
    name: 'jwk header without x5c and no JWK anchor',
    id: 'KA-02.x5c_missing',
    header: (h) => {
      delete h.x5c;
      h.jwk = bare.publicJwk;
    },
    by: bare,
  },
  {
    rule: 'KA-02',
    name: 'jwk header matching a JWK anchor: accepted with a warning',
    id: null,
    warning: 'KA-02.no_x5c',
    header: (h) => {
      delete h.x5c;
      h.jwk = bare.publicJwk;
    },
    by: bare,
    expect: { anchors: [ROOT, jwkAnchor(bare.publicJwk, 'key_attestation', 'Bare attester')] },
  },
  {
    rule: 'KA-02',
    name: 'jwk header matching a JWK anchor: rejected when strict',
    id: 'KA-02.no_x5c',
    header: (h) => {
      delete h.x5c;
      h.jwk = bare.publicJwk;
    },
    by: bare,
    expect: { strict: true, anchors: [jwkAnchor(bare.publicJwk, 'key_attestation', 'Bare attester')] },
  },
  { rule: 'KA-02', name: 'untrusted signer', id: 'KA-02.untrusted', header: x5c(untrusted), by: untrusted },
  {
    rule: 'KA-02',
    name: 'only a wallet_attestation anchor for this CA',
    id: 'KA-02.untrusted',
    expect: { anchors: [{ ...ROOT, kind: 'wallet_attestation' } as TrustAnchor] },
  },
  { rule: 'KA-02', name: 'self-signed leaf', id: 'KA-02.self_signed', header: x5c(selfSigned), by: selfSigned },
  { rule: 'KA-02', name: 'anchor inside x5c', id: 'KA-02.anchor_in_x5c', header: x5c(signer, root) },
  {
    rule: 'KA-02',
    name: 'expired signing certificate',
    id: 'KA-02.certificate_validity',
    header: x5c(expiredSigner),
    by: expiredSigner,
  },
  { rule: 'KA-02', name: 'x5c out of order', id: 'KA-02.chain', header: x5c(signer, untrusted) },
  { rule: 'KA-02', name: 'x5c entry is not a certificate', id: 'KA-02.x5c_malformed', header: set('x5c', ['AAAA']) },
  {
    rule: 'KA-02',
    name: 'tampered signature',
    id: 'KA-02.signature',
    jwt: (j) => `${j.slice(0, j.lastIndexOf('.') + 1)}${j.endsWith('A') ? 'B' : 'A'}${j.slice(j.lastIndexOf('.') + 2)}`,
  },
  { rule: 'KA-02', name: 'signed by another key than the x5c leaf', id: 'KA-02.signature', by: untrusted },
  { rule: 'KA-03', name: 'iat missing', id: 'KA-03.iat', payload: without('iat') },
  { rule: 'KA-03', name: 'iat is a string', id: 'KA-03.iat', payload: set('iat', String(NOW_S)) },
  { rule: 'KA-03', name: 'iat 1 h in the future', id: 'KA-03.iat', payload: set('iat', NOW_S + 3600) },
  { rule: 'KA-03', name: 'exp missing with the jwt proof type', id: 'KA-03.exp_missing', payload: without('exp') },
  {
    rule: 'KA-03',
    name: 'exp missing with the attestation proof type is accepted',
    id: null,
    payload: without('exp'),
    expect: { usedWith: 'attestation' },
  },
  { rule: 'KA-03', name: 'expired', id: 'KA-03.expired', payload: set('exp', NOW_S - 600) },
  { rule: 'KA-03', name: 'nbf in the future', id: 'KA-03.expired', payload: set('nbf', NOW_S + 600) },
  { rule: 'KA-04', name: 'attested_keys missing', id: 'KA-04.missing', payload: without('attested_keys') },
  { rule: 'KA-04', name: 'attested_keys empty', id: 'KA-04.missing', payload: set('attested_keys', []) },
  { rule: 'KA-04', name: 'attested_keys is an object', id: 'KA-04.missing', payload: set('attested_keys', holder.publicJwk) },
  { rule: 'KA-04', name: 'attested_keys entry is a string', id: 'KA-04.invalid', payload: set('attested_keys', ['key']) },
  {
    rule: 'KA-04',
    name: 'attested_keys entry is an incomplete EC key',
    id: 'KA-04.invalid',
    payload: set('attested_keys', [ecWithoutY]),
  },
  {
    rule: 'KA-04',
    name: 'attested_keys entry contains the private key',
    id: 'KA-04.private',
    payload: set('attested_keys', [holder.privateJwk]),
  },
  { rule: 'KA-04', name: 'RSA and Ed25519 attested keys are accepted', id: null, payload: set('attested_keys', [rsa, ed25519]) },
  { rule: 'KA-05', name: 'key_storage empty', id: 'KA-05.format', payload: set('key_storage', []) },
  {
    rule: 'KA-05',
    name: 'user_authentication a string',
    id: 'KA-05.format',
    payload: set('user_authentication', 'iso_18045_high'),
  },
  {
    rule: 'PRF-12',
    name: 'key_storage among the accepted values',
    id: null,
    expect: { accepted: { key_storage: ['iso_18045_moderate', 'iso_18045_high'] } },
  },
  {
    rule: 'PRF-12',
    name: 'key_storage not accepted',
    id: 'KA-05.key_storage',
    payload: set('key_storage', ['iso_18045_basic']),
    expect: { accepted: { key_storage: ['iso_18045_high'] } },
  },
  {
    rule: 'PRF-12',
    name: 'key_storage missing while demanded',
    id: 'KA-05.key_storage',
    payload: without('key_storage'),
    expect: { accepted: { key_storage: ['iso_18045_high'] } },
  },
  {
    rule: 'PRF-12',
    name: 'user_authentication not accepted',
    id: 'KA-05.user_authentication',
    expect: { accepted: { user_authentication: ['iso_18045_high'] } },
  },
  {
    rule: 'PRF-12',
    name: 'an empty demand accepts any attestation',
    id: null,
    payload: without('key_storage', 'user_authentication'),
    expect: { accepted: {} },
  },
  { rule: 'KA-07', name: 'status is a string', id: 'KA-07.status', payload: set('status', 'revoked') },
  {
    rule: 'KA-07',
    name: 'status object is accepted',
    id: null,
    payload: set('status', { status_list: { idx: 1, uri: 'https://attester.example/status' } }),
  },
  { rule: 'KA-06', name: 'nonce missing with a nonce endpoint', id: 'KA-06.missing', payload: without('nonce') },
  { rule: 'KA-06', name: 'nonce is a number', id: 'KA-06.missing', payload: set('nonce', 1234) },
  {
    rule: 'KA-06',
    name: 'nonce missing without a nonce endpoint is accepted',
    id: null,
    payload: without('nonce'),
    expect: { nonceRequired: false },
  },
];

function assertResult(result: KeyAttestationResult, row: Pick<Row, 'id' | 'warning'>): void {
  if (row.id === null) {
    assert.ok(
      result.ok,
      result.ok
        ? ''
        : `expected acceptance, got ${result.failure.diagnostic} (${result.failure.detail ?? ''})\n${result.chainSteps.join('\n')}`,
    );
    if (result.ok)
      assert.deepEqual(
        result.findings.filter((f) => f.outcome === 'warn').map((f) => f.diagnostic),
        row.warning ? [row.warning] : [],
      );
    return;
  }
  assert.equal(result.ok, false, `expected ${row.id}, but the attestation was accepted`);
  if (!result.ok)
    assert.equal(result.failure.diagnostic, row.id, `detail: ${result.failure.detail ?? ''}\n${result.chainSteps.join('\n')}`);
}

describe('checkKeyAttestation', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, async () =>
      assertResult(await checkKeyAttestation(await attestation(row), { ...EXPECT, ...row.expect }), row));
  }

  it('returns the attested keys, their thumbprints, the nonce, the anchor, the chain log and the checks', async () => {
    const result = await checkKeyAttestation(await attestation({ rule: '-', name: 'values', id: null }), EXPECT);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.deepEqual(result.value.attestedKeys, [holder.publicJwk, second.publicJwk]);
    assert.deepEqual(result.value.jkts, [
      await calculateJwkThumbprint(holder.publicJwk),
      await calculateJwkThumbprint(second.publicJwk),
    ]);
    assert.equal(result.value.nonce, C_NONCE);
    assert.equal(result.value.anchor.id, ROOT.id);
    assert.match(result.chainSteps.join('\n'), /chained to anchor 'Key Attester Root'/);
    assert.ok(result.findings.every((c) => c.outcome === 'pass'));
  });

  it('a legacy typ shows as a KA-01 warning beside the passed checks', async () => {
    const result = await checkKeyAttestation(
      await attestation({ rule: '-', name: 'legacy', id: null, header: set('typ', 'keyattestation+jwt') }),
      EXPECT,
    );
    assert.ok(
      result.ok &&
        result.findings.some((c) => c.rule === 'KA-01' && c.outcome === 'warn' && /key-attestation\+jwt/.test(c.detail ?? '')),
    );
    assert.ok(
      result.ok && /OID4VCI 1\.0 Appendix D\.1/.test(result.findings.filter((f) => f.outcome === 'warn')[0]!.detail ?? ''),
    );
  });
});

describe('caller helpers', () => {
  const value = { jkts: ['jkt-holder', 'jkt-second'], nonce: C_NONCE };
  it('PRF-11: proof key among the attested keys', () =>
    assert.deepEqual(proofKeyAttested('jkt-second', value), { rule: 'PRF-11', outcome: 'pass' }));
  it('PRF-11: proof key not attested', () =>
    assert.equal(proofKeyAttested('jkt-other', value).diagnostic, 'PRF-11.not_attested'));
  it('KA-06: nonce equal to the proof c_nonce', () =>
    assert.deepEqual(attestationNonceFinding(value.nonce, true), { rule: 'KA-06', outcome: 'pass' }));
  it('KA-06: wrong nonce is invalid_nonce', () => {
    const found = attestationNonceFinding(value.nonce, false);
    assert.equal(found.diagnostic, 'KA-06.wrong');
    assert.equal(keyAttestationDiagnostics['KA-06.wrong'].error, 'invalid_nonce');
  });
  it('KA-06: no nonce at all', () => assert.equal(attestationNonceFinding(undefined, false).diagnostic, 'KA-06.missing'));
});

describe('attestation catalogue entries', () => {
  const notes = fileURLToPath(new URL('../../../shared/spec-notes.md', import.meta.url));
  const defined = existsSync(notes)
    ? new Set([...readFileSync(notes, 'utf8').matchAll(/^\|\s*([A-Z0-9]+(?:-[A-Z0-9]+)+)\s*[|*]/gm)].map((m) => m[1]))
    : undefined;
  for (const [id, entry] of Object.entries({ ...keyAttestationDiagnostics, ...walletAttestationDiagnostics })) {
    it(`${id}: complete, with the error code its family uses`, () => {
      for (const field of ['rule', 'title', 'reason', 'help', 'spec_ref'] as const)
        assert.ok(entry[field].trim().length > 0, field);
      const expected = id.startsWith('WA-')
        ? /^(invalid_client|use_fresh_attestation|use_attestation_challenge)$/
        : /^(invalid_proof|invalid_nonce)$/;
      assert.match(entry.error, expected);
      if (defined) assert.ok(defined.has(entry.rule), `rule ${entry.rule} is not in spec-notes`);
    });
  }
});
