// The issuer's chain on the run's engine: created with the country ISO 18013-5 Annex B asks for and
// a subjectAltName for PUBLIC_URL (FMT-SD-11), and a chain stored before that is certified again on
// start with the same keys, by exactly one of several nodes starting at once.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { loadConfig } from '../../src/config.ts';
import { chainShortcomings } from '../../src/issuance/certificate-renewal.ts';
import { createCertificateChain, sanFor } from '../../src/issuance/certificates.ts';
import { loadOrCreateIssuerKey } from '../../src/issuance/keys.ts';
import type { Store } from '../../src/store/index.ts';
import { openTestStore, scratchStore, TEST_ENGINE } from '../support/server.ts';

const PUBLIC_URL = 'https://issuer.example/tenant';
const NODES = 6;
const required = (publicUrl = PUBLIC_URL) => ({ country: 'DE', subjectAltName: sanFor(publicUrl) });

/** An issuer key row as the playground stored it before this requirement: no country, no subjectAltName. */
async function storeOldChain(store: Store) {
  const now = Date.now();
  const chain = await createCertificateChain({
    caName: 'CN=OID4VCI Playground Test CA, O=OID4VCI Issuer Playground',
    leafName: 'CN=OID4VCI Playground Issuer, O=OID4VCI Issuer Playground',
    now,
    caDays: 3650,
    leafDays: 365,
  });
  const kid = await calculateJwkThumbprint(chain.leafPrivateJwk);
  await store.keys.insertIssuerKey({
    kid,
    alg: 'ES256',
    private_jwk: JSON.stringify(chain.leafPrivateJwk),
    leaf_pem: chain.leafPem,
    ca_pem: chain.caPem,
    ca_private_jwk: JSON.stringify(chain.caPrivateJwk),
    created_at: now,
  });
  return { kid, chain };
}

describe(`issuer certificates (${TEST_ENGINE})`, () => {
  let scratch: Awaited<ReturnType<typeof scratchStore>>;
  before(async () => {
    scratch = await scratchStore();
  });
  after(() => scratch.close());

  it('a new chain names the country in CA and leaf and PUBLIC_URL in the leaf', async () => {
    const fresh = await scratchStore();
    try {
      const key = await loadOrCreateIssuerKey(fresh.store, { now: Date.now(), publicUrl: PUBLIC_URL });
      assert.deepEqual(chainShortcomings({ caPem: key.caPem, leafPem: key.leafPem }, required()), []);
      const leaf = new X509Certificate(key.leafPem);
      assert.match(leaf.subject, /^C=DE$/m);
      assert.match(leaf.issuer, /^C=DE$/m);
      assert.equal(leaf.subjectAltName, 'URI:https://issuer.example/tenant, DNS:issuer.example');
    } finally {
      await fresh.close();
    }
  });

  it('a stored chain without them is certified again with the same keys, by one of several nodes', async () => {
    const { kid, chain } = await storeOldChain(scratch.store);
    assert.equal(chainShortcomings(chain, required()).length, 3, 'no C in CA and leaf, no subjectAltName');
    const nodes = await Promise.all(
      Array.from({ length: NODES }, () => openTestStore(loadConfig({ LOG_LEVEL: 'silent', ...scratch.env }))),
    );
    try {
      const keys = await Promise.all(
        nodes.map((store) => loadOrCreateIssuerKey(store, { now: Date.now(), publicUrl: PUBLIC_URL })),
      );
      const stored = (await scratch.store.keys.currentIssuerKey())!;
      for (const key of keys) {
        assert.equal(key.kid, kid, 'the kid (and so the JWKS) stays');
        assert.equal(key.leafPem, stored.leaf_pem, 'every node ends on the stored leaf');
        assert.equal(key.caPem, stored.ca_pem);
      }
      assert.deepEqual(chainShortcomings({ caPem: stored.ca_pem, leafPem: stored.leaf_pem }, required()), []);
      const [oldCa, ca, oldLeaf, leaf] = [chain.caPem, stored.ca_pem, chain.leafPem, stored.leaf_pem].map(
        (pem) => new X509Certificate(pem),
      );
      assert.ok(ca.publicKey.equals(oldCa.publicKey), 'the CA key pair stays');
      assert.ok(leaf.publicKey.equals(oldLeaf.publicKey), 'the leaf key pair stays');
      assert.equal(ca.subject, `C=DE\n${oldCa.subject}`, 'the CA keeps its name, with the country added');
      assert.equal(leaf.subject, `C=DE\n${oldLeaf.subject}`);
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the leaf is issued by the CA');
      assert.equal(leaf.validTo, oldLeaf.validTo, 'the expiry stays');

      // PUBLIC_URL changes: only the leaf is certified again, the CA (which has its country now) stays.
      const moved = await loadOrCreateIssuerKey(nodes[0]!, { now: Date.now(), publicUrl: 'http://127.0.0.1:8080' });
      assert.equal(moved.caPem, stored.ca_pem);
      assert.equal(new X509Certificate(moved.leafPem).subjectAltName, 'URI:http://127.0.0.1:8080, IP Address:127.0.0.1');
      assert.equal(moved.kid, kid);
    } finally {
      await Promise.all(nodes.map((store) => store.close()));
    }
  });

  it('nodes starting together on an empty database all end on one key, whichever stamped its key first', async () => {
    const fresh = await scratchStore();
    const nodes = await Promise.all(
      Array.from({ length: NODES }, () => openTestStore(loadConfig({ LOG_LEVEL: 'silent', ...fresh.env }))),
    );
    try {
      // Later nodes stamp their keys earlier: a rule "oldest created_at wins" would split them.
      const start = Date.now();
      const keys = await Promise.all(
        nodes.map((store, i) => loadOrCreateIssuerKey(store, { now: start - i * 1000, publicUrl: PUBLIC_URL })),
      );
      assert.equal(new Set(keys.map((k) => k.kid)).size, 1, 'one kid');
      assert.equal(new Set(keys.map((k) => k.caPem)).size, 1, 'one CA');
      assert.equal((await fresh.store.keys.currentIssuerKey())!.kid, keys[0]!.kid);
    } finally {
      await Promise.all(nodes.map((store) => store.close()));
      await fresh.close();
    }
  });

  it('replaceIssuerCertificates lands only on the leaf it read', async () => {
    const fresh = await scratchStore();
    try {
      const { kid, chain } = await storeOldChain(fresh.store);
      const renewed = { leaf_pem: 'renewed leaf', ca_pem: chain.caPem };
      const results = await Promise.all(
        [1, 2, 3].map(() => fresh.store.keys.replaceIssuerCertificates(kid, chain.leafPem, renewed)),
      );
      assert.deepEqual(results.sort(), [false, false, true]);
      assert.equal((await fresh.store.keys.currentIssuerKey())!.leaf_pem, 'renewed leaf');
    } finally {
      await fresh.close();
    }
  });
});
