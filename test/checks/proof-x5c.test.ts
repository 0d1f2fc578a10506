// proofKeyFromX5c: the holder key of a proof given as x5c (OID4VCI 1.0 Appendix F.1), with chain
// problems reported but no trust decision (PRF-03, PRF-06). Certificates are real ones.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exportJWK, importJWK } from 'jose';
import { proofKeyFromX5c } from '../../src/checks/proof-x5c.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { createCertificateChain, x5cEntry } from '../../src/issuance/certificates.ts';
import { assertFinding } from './jws-helpers.ts';

const NOW_MS = 1_750_000_000_000;
const DAY_MS = 86_400_000;
const chain = await createCertificateChain({
  caName: 'CN=Wallet CA',
  leafName: 'CN=Holder key',
  now: NOW_MS,
  caDays: 30,
  leafDays: 10,
});
const other = await createCertificateChain({
  caName: 'CN=Other CA',
  leafName: 'CN=Other key',
  now: NOW_MS,
  caDays: 30,
  leafDays: 10,
});
const leaf = x5cEntry(chain.leafPem);
const ca = x5cEntry(chain.caPem);
const { d: _d, ...leafPublicJwk } = chain.leafPrivateJwk;

interface Row {
  rule: string;
  name: string;
  id: DiagnosticId | null;
  x5c: unknown;
  nowMs?: number;
  /** A warning the key is still returned with. */
  warn?: DiagnosticId;
}

const rows: Row[] = [
  { rule: 'PRF-03', name: 'the leaf alone', id: null, x5c: [leaf] },
  { rule: 'PRF-03', name: 'the leaf and its CA', id: null, x5c: [leaf, ca] },
  { rule: 'PRF-03', name: 'a self-signed certificate alone (no trust needed)', id: null, x5c: [ca] },
  { rule: 'PRF-03', name: 'a string instead of an array', id: 'PRF-03.x5c_malformed', x5c: leaf },
  { rule: 'PRF-03', name: 'an empty array', id: 'PRF-03.x5c_malformed', x5c: [] },
  {
    rule: 'PRF-03',
    name: 'base64url instead of base64',
    id: 'PRF-03.x5c_malformed',
    x5c: [Buffer.from(leaf, 'base64').toString('base64url').replace(/^./, '-')],
  },
  { rule: 'PRF-03', name: 'PEM armour', id: 'PRF-03.x5c_malformed', x5c: [chain.leafPem] },
  {
    rule: 'PRF-03',
    name: 'base64 that is no certificate',
    id: 'PRF-03.x5c_malformed',
    x5c: [Buffer.from('not a certificate').toString('base64')],
  },
  { rule: 'PRF-03', name: 'a number in the array', id: 'PRF-03.x5c_malformed', x5c: [leaf, 7] },
  {
    rule: 'PRF-03',
    name: 'an expired leaf is used, with a warning',
    id: null,
    x5c: [leaf],
    nowMs: NOW_MS + 11 * DAY_MS,
    warn: 'PRF-03.x5c_validity',
  },
  {
    rule: 'PRF-03',
    name: 'a leaf not yet valid is used, with a warning',
    id: null,
    x5c: [leaf],
    nowMs: NOW_MS - 2 * DAY_MS,
    warn: 'PRF-03.x5c_validity',
  },
  { rule: 'PRF-03', name: 'CA before leaf is not a chain: warning', id: null, x5c: [ca, leaf], warn: 'PRF-03.x5c_chain' },
  {
    rule: 'PRF-03',
    name: 'a leaf with another CA is not a chain: warning',
    id: null,
    x5c: [leaf, x5cEntry(other.caPem)],
    warn: 'PRF-03.x5c_chain',
  },
];

describe('proofKeyFromX5c', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const result = proofKeyFromX5c(row.x5c, row.nowMs ?? NOW_MS);
      assertFinding(result, row.id, row.rule);
      const warnings = result.findings.filter((f) => f.outcome === 'warn').map((f) => f.diagnostic);
      assert.deepEqual(warnings, row.warn ? [row.warn] : []);
      if (row.id === null && !row.warn) assert.ok(result.findings.some((f) => f.rule === 'PRF-03' && f.outcome === 'pass'));
    });
  }

  it('PRF-06: returns the public JWK of the first certificate, the key the credential is bound to', async () => {
    const result = proofKeyFromX5c([leaf, ca], NOW_MS);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.deepEqual(result.value.jwk, leafPublicJwk);
    assert.equal(result.value.subject, 'CN=Holder key');
    assert.equal('d' in result.value.jwk, false);
    assert.deepEqual(await exportJWK(await importJWK(result.value.jwk, 'ES256')), leafPublicJwk);
  });
});
