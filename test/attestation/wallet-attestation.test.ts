// checkClientAttestation against spec-notes WA-01..08, WA-10, WA-15 (ABCA -07 Sections 5, 6, 9;
// OID4VCI 1.0 Appendix E; HAIP 1.0 Section 4.4.1). Each row changes one thing in a valid wallet
// attestation + PoP pair, really signed (attestation by a CA-issued certificate, PoP by cnf.jwk).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calculateJwkThumbprint, generateKeyPair } from 'jose';
import type { TrustAnchor } from '../../src/attestation/trust.ts';
import {
  ATTESTATION_TYP,
  type ClientAttestationExpectations,
  type ClientAttestationResult,
  checkClientAttestation,
  POP_TYP,
  popJtiHash,
} from '../../src/checks/wallet-attestation.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { rawSql, scratchStore } from '../support/server.ts';
import { anchorOf, DAY_MS, issue, type Json, jwkAnchor, keyPair, rootCa, selfSignedLeaf, sign } from './pki.ts';

const NOW_MS = 1_750_000_000_000;
const NOW_S = NOW_MS / 1000;
const AS = 'https://issuer.example';
const CLIENT_ID = 'https://wallet.example/client';
const at = { nowMs: NOW_MS };

const root = await rootCa('Wallet Provider Root', at);
const provider = await issue('Wallet Provider', root, at);
const otherRoot = await rootCa('Unknown Provider Root', at);
const untrusted = await issue('Unknown Provider', otherRoot, at);
const selfSigned = await selfSignedLeaf('Self Provider', at);
const expiredProvider = await issue('Expired Provider', root, {
  ...at,
  notBefore: NOW_MS - 400 * DAY_MS,
  notAfter: NOW_MS - DAY_MS,
});
const bareProvider = await keyPair();
const instance = await keyPair();
const stranger = await keyPair();
const ed25519 = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const { y: _y, ...incompleteJwk } = instance.publicJwk;

const ROOT = anchorOf(root, 'wallet_attestation', 'Wallet Provider Root');
const BARE = jwkAnchor(bareProvider.publicJwk, 'wallet_attestation', 'Bare provider');
const EXPECT: ClientAttestationExpectations = { asIssuer: AS, nowMs: NOW_MS, anchors: [ROOT], strict: false, maxAgeSeconds: 300 };

interface Row {
  rule: string;
  name: string;
  id: DiagnosticId | null;
  warning?: DiagnosticId;
  attHeader?: (h: Json) => void;
  att?: (p: Json) => void;
  attSigner?: { privateKey: CryptoKey };
  popHeader?: (h: Json) => void;
  pop?: (p: Json) => void;
  popSigner?: { privateKey: CryptoKey };
  /** Rewrites the header lines as sent. */
  lines?: (l: { attestation: string[]; pop: string[] }) => { attestation: string[]; pop: string[] };
  expect?: Partial<ClientAttestationExpectations>;
}

const set = (name: string, value: unknown) => (o: Json) => void (o[name] = value);
const without =
  (...names: string[]) =>
  (o: Json) => {
    for (const n of names) delete o[n];
  };
const tamper = (jwt: string) => `${jwt.slice(0, -2)}${jwt.endsWith('AA') ? 'BB' : 'AA'}`;

async function headers(row: Row) {
  const attHeader: Json = { typ: ATTESTATION_TYP, alg: 'ES256', x5c: [provider.b64] };
  const att: Json = {
    iss: 'https://wallet-provider.example',
    sub: CLIENT_ID,
    iat: NOW_S - 60,
    exp: NOW_S + 3600,
    cnf: { jwk: instance.publicJwk },
    wallet_name: 'Test Wallet',
    wallet_link: 'https://wallet.example',
  };
  const popHeader: Json = { typ: POP_TYP, alg: 'ES256' };
  const pop: Json = { iss: CLIENT_ID, aud: AS, jti: 'pop-jti-1', iat: NOW_S - 5 };
  row.attHeader?.(attHeader);
  row.att?.(att);
  row.popHeader?.(popHeader);
  row.pop?.(pop);
  const lines = {
    attestation: [await sign(attHeader, att, (row.attSigner ?? provider).privateKey)],
    pop: [await sign(popHeader, pop, (row.popSigner ?? instance).privateKey)],
  };
  return row.lines ? row.lines(lines) : lines;
}

const noX5c = (h: Json) => {
  delete h.x5c;
  h.jwk = bareProvider.publicJwk;
};

const rows: Row[] = [
  { rule: 'WA-04', name: 'valid wallet attestation and PoP are accepted', id: null },
  { rule: 'WA-01', name: 'OAuth-Client-Attestation missing', id: 'WA-01.attestation', lines: (l) => ({ ...l, attestation: [] }) },
  {
    rule: 'WA-01',
    name: 'two OAuth-Client-Attestation headers',
    id: 'WA-01.attestation',
    lines: (l) => ({ ...l, attestation: [l.attestation[0]!, l.attestation[0]!] }),
  },
  {
    rule: 'WA-01',
    name: 'two attestations in one header line',
    id: 'WA-01.attestation',
    lines: (l) => ({ ...l, attestation: [`${l.attestation[0]}, ${l.attestation[0]}`] }),
  },
  {
    rule: 'WA-01',
    name: 'attestation is not a JWT',
    id: 'WA-01.attestation',
    lines: (l) => ({ ...l, attestation: ['not-a-jwt'] }),
  },
  { rule: 'WA-01', name: 'OAuth-Client-Attestation-PoP missing', id: 'WA-01.pop', lines: (l) => ({ ...l, pop: [] }) },
  { rule: 'WA-01', name: 'two PoP headers', id: 'WA-01.pop', lines: (l) => ({ ...l, pop: [l.pop[0]!, l.pop[0]!] }) },
  { rule: 'WA-02', name: 'attestation typ JWT', id: 'WA-02.attestation_typ', attHeader: set('typ', 'JWT') },
  { rule: 'WA-02', name: 'attestation typ of the PoP', id: 'WA-02.attestation_typ', attHeader: set('typ', POP_TYP) },
  { rule: 'WA-02', name: 'PoP typ missing', id: 'WA-02.pop_typ', popHeader: without('typ') },
  {
    rule: 'WA-15',
    name: 'attestation without iss (ABCA ≥ -08): accepted with a warning',
    id: null,
    warning: 'WA-15.no_iss',
    att: without('iss'),
  },
  {
    rule: 'WA-15',
    name: 'attestation without iss: rejected when strict',
    id: 'WA-15.no_iss',
    att: without('iss'),
    expect: { strict: true },
  },
  { rule: 'WA-03', name: 'iss is a number', id: 'WA-03.iss', att: set('iss', 42) },
  { rule: 'WA-03', name: 'sub missing', id: 'WA-03.sub', att: without('sub') },
  { rule: 'WA-03', name: 'exp missing', id: 'WA-03.exp', att: without('exp') },
  { rule: 'WA-03', name: 'exp 10 min in the past', id: 'WA-03.expired', att: set('exp', NOW_S - 600) },
  { rule: 'WA-03', name: 'nbf 10 min in the future', id: 'WA-03.expired', att: set('nbf', NOW_S + 600) },
  { rule: 'WA-03', name: 'cnf missing', id: 'WA-03.cnf', att: without('cnf') },
  { rule: 'WA-03', name: 'cnf.jwk incomplete', id: 'WA-03.cnf', att: set('cnf', { jwk: incompleteJwk }) },
  {
    rule: 'WA-03',
    name: 'cnf.jwk contains the private key',
    id: 'WA-03.cnf_private',
    att: set('cnf', { jwk: instance.privateJwk }),
  },
  { rule: 'WA-04', name: 'alg none', id: 'WA-04.alg', attHeader: set('alg', 'none') },
  {
    rule: 'WA-04',
    name: 'untrusted wallet provider',
    id: 'WA-04.untrusted',
    attHeader: set('x5c', [untrusted.b64]),
    attSigner: untrusted,
  },
  {
    rule: 'WA-04',
    name: 'only a key_attestation anchor for this CA',
    id: 'WA-04.untrusted',
    expect: { anchors: [{ ...ROOT, kind: 'key_attestation' } as TrustAnchor] },
  },
  {
    rule: 'WA-04',
    name: 'self-signed signing certificate',
    id: 'WA-04.self_signed',
    attHeader: set('x5c', [selfSigned.b64]),
    attSigner: selfSigned,
  },
  { rule: 'WA-04', name: 'anchor inside x5c', id: 'WA-04.anchor_in_x5c', attHeader: set('x5c', [provider.b64, root.b64]) },
  {
    rule: 'WA-04',
    name: 'expired signing certificate',
    id: 'WA-04.certificate_validity',
    attHeader: set('x5c', [expiredProvider.b64]),
    attSigner: expiredProvider,
  },
  { rule: 'WA-04', name: 'no x5c', id: 'WA-04.x5c_missing', attHeader: without('x5c') },
  {
    rule: 'WA-04',
    name: 'tampered attestation signature',
    id: 'WA-04.signature',
    lines: (l) => ({ ...l, attestation: [tamper(l.attestation[0]!)] }),
  },
  {
    rule: 'WA-04',
    name: 'bare-key provider matching a JWK anchor: accepted with a warning',
    id: null,
    warning: 'WA-04.no_x5c',
    attHeader: noX5c,
    attSigner: bareProvider,
    expect: { anchors: [BARE] },
  },
  {
    rule: 'WA-04',
    name: 'bare-key provider: rejected when strict',
    id: 'WA-04.no_x5c',
    attHeader: noX5c,
    attSigner: bareProvider,
    expect: { anchors: [BARE], strict: true },
  },
  { rule: 'WA-08', name: 'client_id equal to sub is accepted', id: null, expect: { clientId: CLIENT_ID } },
  { rule: 'WA-08', name: 'client_id differs from sub', id: 'WA-08.client_id', expect: { clientId: 'https://other.example' } },
  { rule: 'WA-06', name: 'PoP signed by another key than cnf.jwk', id: 'WA-06', popSigner: stranger },
  { rule: 'WA-06', name: 'PoP alg none', id: 'WA-06.alg', popHeader: set('alg', 'none') },
  { rule: 'WA-06', name: 'PoP alg EdDSA not listed', id: 'WA-06.alg', popHeader: set('alg', 'EdDSA'), popSigner: ed25519 },
  { rule: 'WA-15', name: 'PoP without iss: accepted with a warning', id: null, warning: 'WA-15.no_pop_iss', pop: without('iss') },
  {
    rule: 'WA-15',
    name: 'PoP without iss: rejected when strict',
    id: 'WA-15.no_pop_iss',
    pop: without('iss'),
    expect: { strict: true },
  },
  { rule: 'WA-08', name: 'PoP iss differs from sub', id: 'WA-08.pop_iss', pop: set('iss', 'https://other.example') },
  { rule: 'WA-05', name: 'PoP aud of another server', id: 'WA-05.aud', pop: set('aud', 'https://other.example') },
  { rule: 'WA-05', name: 'PoP aud with a trailing slash', id: 'WA-05.aud', pop: set('aud', `${AS}/`) },
  { rule: 'WA-05', name: 'PoP aud missing', id: 'WA-05.aud', pop: without('aud') },
  { rule: 'WA-05', name: 'PoP aud array containing the issuer', id: null, pop: set('aud', ['https://other.example', AS]) },
  { rule: 'WA-05', name: 'PoP jti missing', id: 'WA-05.jti', pop: without('jti') },
  { rule: 'WA-05', name: 'PoP iat missing', id: 'WA-05.iat', pop: without('iat') },
  { rule: 'WA-07', name: 'PoP iat 10 min old', id: 'WA-07.stale', pop: set('iat', NOW_S - 600) },
  { rule: 'WA-07', name: 'PoP iat 1 h in the future', id: 'WA-07.stale', pop: set('iat', NOW_S + 3600) },
  { rule: 'WA-07', name: 'PoP exp passed', id: 'WA-07.stale', pop: set('exp', NOW_S - 120) },
  {
    rule: 'WA-10',
    name: 'attestation older than policy',
    id: 'WA-10',
    att: set('iat', NOW_S - 2 * 86400),
    expect: { maxAttestationAgeSeconds: 86400 },
  },
];

function assertResult(result: ClientAttestationResult, row: Pick<Row, 'id' | 'warning'>): void {
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
  assert.equal(result.ok, false, `expected ${row.id}, but the request was accepted`);
  if (!result.ok) assert.equal(result.failure.diagnostic, row.id, `detail: ${result.failure.detail ?? ''}`);
}

describe('checkClientAttestation', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, async () =>
      assertResult(await checkClientAttestation(await headers(row), { ...EXPECT, ...row.expect }), row));
  }

  it('returns client_id, cnf key, jti, replay window, challenge, both decoded JWTs and the chain log', async () => {
    const result = await checkClientAttestation(
      await headers({ rule: '-', name: 'values', id: null, pop: set('challenge', 'ch-1') }),
      EXPECT,
    );
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.value.clientId, CLIENT_ID);
    assert.deepEqual(result.value.cnfJwk, instance.publicJwk);
    assert.equal(result.value.cnfJkt, await calculateJwkThumbprint(instance.publicJwk));
    assert.equal(result.value.jti, 'pop-jti-1');
    assert.equal(result.value.challenge, 'ch-1');
    assert.equal(result.value.replayUntilMs, (NOW_S - 5 + 300 + 30) * 1000);
    assert.equal(result.value.attestation.payload.wallet_name, 'Test Wallet');
    assert.equal(result.value.pop.header.typ, POP_TYP);
    assert.match(result.chainSteps.join('\n'), /chained to anchor 'Wallet Provider Root'/);
  });
});

describe("WA-07 PoP jti replay (stored on the run's engine)", () => {
  it('a replayed jti is refused within its window and accepted again after it', async () => {
    const scratch = await scratchStore();
    const repo = scratch.store.anchors;
    const first = await checkClientAttestation(await headers({ rule: '-', name: 'first', id: null }), EXPECT);
    const replay = await checkClientAttestation(await headers({ rule: '-', name: 'replay', id: null }), {
      ...EXPECT,
      nowMs: NOW_MS + 60_000,
    });
    assert.ok(first.ok && replay.ok, 'both PoPs pass the pure check; only the store sees the replay');
    if (!first.ok || !replay.ok) return;
    assert.equal(await repo.rememberPopJti(popJtiHash(first.value.jti), first.value.replayUntilMs, NOW_MS), true);
    assert.equal(
      await repo.rememberPopJti(popJtiHash(replay.value.jti), replay.value.replayUntilMs, NOW_MS + 60_000),
      false,
      'WA-07.replay',
    );
    assert.equal(await repo.rememberPopJti(popJtiHash('pop-jti-2'), replay.value.replayUntilMs, NOW_MS + 60_000), true);
    assert.equal(
      await repo.rememberPopJti(popJtiHash(first.value.jti), NOW_MS + 10 * 60_000, first.value.replayUntilMs + 1),
      true,
      'window over',
    );
    assert.equal(await repo.purgeExpiredPopJtis(NOW_MS + 60 * 60_000, 100), 2);
    assert.deepEqual(await rawSql(scratch.env, 'SELECT jti_hash FROM client_attestation_pop_jtis'), []);
    await scratch.close();
  });
});
