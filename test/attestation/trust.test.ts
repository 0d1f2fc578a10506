// Trust anchors and HAIP chain validation (HAIP 1.0 Sections 4.4.1, 4.5.1) with real certificates:
// one row per chain case, then bare-key anchors, the anchor directory and the anchor table.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { calculateJwkThumbprint, compactVerify, importJWK } from 'jose';
import { loadAnchorsFromDirectory } from '../../src/attestation/anchor-files.ts';
import { type ChainFailure, type TrustAnchor, trustHeaderKey, validateChain } from '../../src/attestation/trust.ts';
import { rawSql, scratchStore } from '../support/server.ts';
import { anchorOf, DAY_MS, issue, jwkAnchor, keyPair, rootCa, selfSignedLeaf, sign } from './pki.ts';

const NOW_MS = 1_750_000_000_000;
const at = { nowMs: NOW_MS };

const root = await rootCa('Attester Root', at);
const intermediate = await issue('Attester Intermediate', root, { ...at, ca: true });
const viaIntermediate = await issue('Attester Signer', intermediate, at);
const direct = await issue('Direct Signer', root, at);
const otherRoot = await rootCa('Unknown Root', at);
const untrusted = await issue('Unknown Signer', otherRoot, at);
const selfSigned = await selfSignedLeaf('Self Signer', at);
const expired = await issue('Expired Signer', root, { ...at, notBefore: NOW_MS - 400 * DAY_MS, notAfter: NOW_MS - DAY_MS });
const notYetValid = await issue('Future Signer', root, { ...at, notBefore: NOW_MS + DAY_MS });
const underNonCa = await issue('Under Non-CA', direct, at);
const expiredRoot = await rootCa('Expired Root', { ...at, notBefore: NOW_MS - 400 * DAY_MS, notAfter: NOW_MS - DAY_MS });
const underExpiredRoot = await issue('Signer Under Expired Root', expiredRoot, at);

const ROOT = anchorOf(root, 'key_attestation', 'Attester Root');
const OTHER = anchorOf(otherRoot, 'key_attestation', 'Other Root');
const BUILTIN: TrustAnchor = { ...ROOT, id: 'builtin', label: 'Playground test attester CA', source: 'builtin', test: true };

interface Row {
  name: string;
  x5c: unknown;
  anchors?: TrustAnchor[];
  /** null: trusted; otherwise the failure code. */
  code: ChainFailure | null;
  step?: RegExp;
}

const rows: Row[] = [
  {
    name: 'trusted: leaf issued by the anchor',
    x5c: [direct.b64],
    code: null,
    step: /✓ leaf CN=Direct Signer issued by CN=Attester Root → chained to anchor 'Attester Root' \(api\)/,
  },
  {
    name: 'trusted: leaf and intermediate',
    x5c: [viaIntermediate.b64, intermediate.b64],
    code: null,
    step: /x5c\[0\] is signed by x5c\[1\]/,
  },
  {
    name: 'trusted: second anchor after a miss, both attempts logged',
    x5c: [direct.b64],
    anchors: [OTHER, ROOT],
    code: null,
    step: /not signed by anchor 'Other Root'/,
  },
  {
    name: 'trusted: builtin test anchor labelled TEST TRUST',
    x5c: [direct.b64],
    anchors: [BUILTIN],
    code: null,
    step: /chained to anchor 'Playground test attester CA' \(builtin, TEST TRUST\)/,
  },
  {
    name: 'trusted: JWK anchor as key-only trust anchor (RFC 5280 6.1.1 d)',
    x5c: [direct.b64],
    anchors: [jwkAnchor(root.publicJwk, 'key_attestation', 'Root key')],
    code: null,
  },
  {
    name: 'untrusted signer',
    x5c: [untrusted.b64],
    code: 'untrusted',
    step: /leaf CN=Unknown Signer issued by CN=Unknown Root → not signed by anchor 'Attester Root'/,
  },
  { name: 'intermediate missing from x5c', x5c: [viaIntermediate.b64], code: 'untrusted' },
  { name: 'no anchors configured', x5c: [direct.b64], anchors: [], code: 'untrusted', step: /no trust anchors/ },
  {
    name: 'anchor expired: skipped',
    x5c: [underExpiredRoot.b64],
    anchors: [anchorOf(expiredRoot, 'key_attestation', 'Expired Root')],
    code: 'untrusted',
    step: /outside its validity/,
  },
  { name: 'self-signed leaf', x5c: [selfSigned.b64], code: 'self_signed', step: /self-signed/ },
  { name: 'anchor inside x5c', x5c: [direct.b64, root.b64], code: 'anchor_in_x5c', step: /is trust anchor 'Attester Root'/ },
  { name: 'expired leaf', x5c: [expired.b64], code: 'certificate_validity' },
  { name: 'leaf not yet valid', x5c: [notYetValid.b64], code: 'certificate_validity' },
  { name: 'wrong order', x5c: [intermediate.b64, viaIntermediate.b64], code: 'chain' },
  { name: 'issuer is not a CA', x5c: [underNonCa.b64, direct.b64], code: 'chain', step: /not a CA/ },
  { name: 'x5c not an array', x5c: direct.b64, code: 'x5c_malformed' },
  { name: 'x5c empty', x5c: [], code: 'x5c_malformed' },
  {
    name: 'x5c entry base64url instead of base64',
    x5c: [`${direct.b64.replace(/\+/g, '-').replace(/\//g, '_')}-_`],
    code: 'x5c_malformed',
  },
  { name: 'x5c entry PEM-armoured', x5c: [direct.pem], code: 'x5c_malformed' },
  { name: 'x5c entry not a certificate', x5c: ['AAAA'], code: 'x5c_malformed' },
];

describe('validateChain', () => {
  for (const row of rows) {
    it(row.name, async () => {
      const result = await validateChain(row.x5c, row.anchors ?? [ROOT], NOW_MS);
      assert.equal(result.ok ? null : result.code, row.code, result.steps.join('\n'));
      if (row.step) assert.match(result.steps.join('\n'), row.step);
    });
  }

  it('returns the leaf key, which verifies what the leaf signed', async () => {
    const result = await validateChain([direct.b64], [ROOT], NOW_MS);
    assert.ok(result.ok);
    if (!result.ok) return;
    const jws = await sign({ alg: 'ES256' }, { hello: 'world' }, direct.privateKey);
    await compactVerify(jws, await importJWK(result.leafJwk, 'ES256'));
    await compactVerify(jws, result.leafKey);
    assert.equal(result.anchor.id, ROOT.id);
  });
});

const bareKey = await keyPair();
const bareAnchor = jwkAnchor({ ...bareKey.publicJwk, kid: 'attester-1' }, 'wallet_attestation', 'Bare key');
const bareThumbprint = await calculateJwkThumbprint(bareKey.publicJwk);
const strangerJwk = (await keyPair()).publicJwk;

describe('trustHeaderKey (attestations without x5c)', () => {
  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    ['jwk header equal to the anchor', { jwk: bareKey.publicJwk }, true],
    ['kid equal to the anchor kid', { kid: 'attester-1' }, true],
    ['kid equal to the anchor thumbprint', { kid: bareThumbprint }, true],
    ['jwk of another key', { jwk: strangerJwk }, false],
    ['unknown kid', { kid: 'nope' }, false],
  ];
  for (const [name, header, ok] of cases) {
    it(name, async () => assert.equal((await trustHeaderKey(header, [ROOT, bareAnchor])).ok, ok));
  }
});

describe('loadAnchorsFromDirectory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oid4vci-anchors-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads PEM bundles, JWKs and JWKS by kind subdirectory and reports everything it skips', async () => {
    const provider = await keyPair();
    const [a, b] = [await keyPair(), await keyPair()];
    mkdirSync(join(dir, 'key_attestation'));
    mkdirSync(join(dir, 'wallet_attestation'));
    writeFileSync(join(dir, 'key_attestation', 'roots.pem'), `${root.pem}\n${otherRoot.pem}\n`);
    writeFileSync(join(dir, 'key_attestation', 'empty.pem'), 'nothing here');
    writeFileSync(join(dir, 'key_attestation', 'notes.txt'), 'hello');
    writeFileSync(
      join(dir, 'wallet_attestation', 'provider.jwk'),
      JSON.stringify({ ...provider.publicJwk, kid: 'provider-key' }),
    );
    writeFileSync(join(dir, 'wallet_attestation', 'set.json'), JSON.stringify({ keys: [a.publicJwk, b.publicJwk] }));
    writeFileSync(join(dir, 'wallet_attestation', 'secret.jwk'), JSON.stringify(provider.privateJwk));
    writeFileSync(join(dir, 'stray.pem'), root.pem);

    const { anchors, problems } = loadAnchorsFromDirectory(dir);
    assert.deepEqual(
      anchors.map((x) => [x.kind, x.label, x.id]),
      [
        ['key_attestation', 'Attester Root', 'file:key_attestation/roots.pem#0'],
        ['key_attestation', 'Unknown Root', 'file:key_attestation/roots.pem#1'],
        ['wallet_attestation', 'provider-key', 'file:wallet_attestation/provider.jwk#0'],
        ['wallet_attestation', 'set.json#0', 'file:wallet_attestation/set.json#0'],
        ['wallet_attestation', 'set.json#1', 'file:wallet_attestation/set.json#1'],
      ],
    );
    assert.ok(anchors.every((x) => x.source === 'file' && !x.test));
    assert.equal(problems.length, 4, problems.join('\n'));
    for (const pattern of [
      /stray\.pem: ignored/,
      /empty\.pem: no CERTIFICATE/,
      /notes\.txt: ignored/,
      /secret\.jwk#0: contains a private key/,
    ]) {
      assert.ok(
        problems.some((p) => pattern.test(p)),
        `${pattern} in ${problems.join(' | ')}`,
      );
    }
    const loaded = await validateChain(
      [direct.b64],
      anchors.filter((x) => x.kind === 'key_attestation'),
      NOW_MS,
    );
    assert.ok(loaded.ok);
  });

  it('reports a missing directory', () => {
    assert.match(loadAnchorsFromDirectory(join(dir, 'absent')).problems[0]!, /does not exist/);
  });
});

describe('anchor repository', () => {
  it('lists global anchors plus the session ones, removes them, and drops offer anchors with their session', async () => {
    const scratch = await scratchStore();
    const repo = scratch.store.anchors;
    for (const id of ['s1', 's2']) {
      await scratch.store.sessions.insert(
        {
          id,
          status: 'offer_created',
          grant_type: 'g',
          credential_configuration_ids: [],
          options: {} as never,
          created_at: 0,
          updated_at: 0,
        },
        null,
      );
    }
    await repo.add({ ...ROOT, id: 'global' }, 1);
    await repo.add({ ...ROOT, id: 'wallet', kind: 'wallet_attestation' }, 2);
    await repo.add({ ...OTHER, id: 'offer-s1', source: 'offer', session_id: 's1' }, 3);
    await repo.add(
      {
        id: 'offer-s2',
        kind: 'key_attestation',
        label: 'k',
        source: 'offer',
        jwk: root.publicJwk,
        session_id: 's2',
        test: false,
      },
      4,
    );

    assert.deepEqual(
      (await repo.list('key_attestation')).map((a) => a.id),
      ['global'],
    );
    assert.deepEqual(
      (await repo.list('key_attestation', 's1')).map((a) => a.id),
      ['global', 'offer-s1'],
    );
    assert.deepEqual(
      (await repo.list('wallet_attestation', 's1')).map((a) => a.id),
      ['wallet'],
    );
    assert.deepEqual((await repo.get('offer-s2'))!.jwk, root.publicJwk);
    assert.equal((await repo.get('global'))!.certificate, root.pem);

    await rawSql(scratch.env, "DELETE FROM sessions WHERE id = 's1'");
    assert.deepEqual(
      (await repo.list('key_attestation', 's1')).map((a) => a.id),
      ['global'],
    );
    assert.equal(await repo.remove('global'), true);
    assert.equal(await repo.remove('global'), false);
    await assert.rejects(
      rawSql(
        scratch.env,
        "INSERT INTO trust_anchors (id, kind, label, source, created_at) VALUES ('x', 'key_attestation', 'x', 'api', 0)",
      ),
      /CHECK|check constraint/,
    );
    await scratch.close();
  });
});
