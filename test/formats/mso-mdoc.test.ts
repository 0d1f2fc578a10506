// Each mso_mdoc configuration minted with mintMdoc, checked by an independent verifier (@auth0/mdl,
// test/support/verify-mdoc.ts) and decoded with decodeMdoc (FMT-MD-01..03, H-19, FMT-ALL-01;
// OID4VCI 1.0 Appendix A.2, ISO/IEC 18013-5 §9.1.2).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { decodeMdoc, type MdocConfiguration, mdocConfigurations } from '../../src/formats/mso-mdoc/index.ts';
import { withItemByteChanged } from '../support/mdoc-bytes.ts';
import { createMdocFixture, itemOf, type MdocFixture } from '../support/mdoc-fixture.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** The decoded form of a sample: images described by size, base64 and media type, the rest as typed. */
function decodedSample(config: MdocConfiguration): Record<string, Record<string, unknown>> {
  const isImage = (namespace: string, element: string) =>
    config.claims.some((claim) => claim.path[0] === namespace && claim.path[1] === element && claim.type === 'image');
  return Object.fromEntries(
    Object.entries(config.sample).map(([namespace, elements]) => [
      namespace,
      Object.fromEntries(
        Object.entries(elements).map(([element, value]) => [
          element,
          isImage(namespace, element)
            ? { bytes: Buffer.from(value as string, 'base64').length, base64: value, media_type: 'image/jpeg' }
            : value,
        ]),
      ),
    ]),
  );
}

describe('mso_mdoc minting, verified by @auth0/mdl', () => {
  let fixture: MdocFixture;
  before(async () => {
    fixture = await createMdocFixture();
  });

  for (const config of mdocConfigurations) {
    describe(config.id, () => {
      it('FMT-MD-01, FMT-MD-03, H-19: signature through the chain to the CA, digests, device key, validity, doctype', async () => {
        const credential = await fixture.mint(config);
        assert.match(credential, /^[A-Za-z0-9_-]+$/, 'FMT-MD-01: base64url without padding');
        const verified = await fixture.verify(credential, config);
        assert.deepEqual(Object.keys(verified.namespaces), Object.keys(config.sample));
        for (const [namespace, elements] of Object.entries(config.sample)) {
          assert.deepEqual(Object.keys(verified.namespaces[namespace]!).sort(), Object.keys(elements).sort());
        }
        assert.equal(verified.protectedHeaders.get(1), -7, 'IssuerAuth alg ES256');
      });

      it('FMT-ALL-01: validityInfo is rounded down to the hour and lasts validity_days', async () => {
        const { mso } = await fixture.verify(await fixture.mint(config), config);
        const { signed, validFrom, validUntil } = mso.validityInfo;
        assert.equal(signed.getTime() % HOUR_MS, 0);
        assert.ok(signed.getTime() <= fixture.now && fixture.now - signed.getTime() < HOUR_MS);
        assert.equal(validFrom.getTime(), signed.getTime());
        assert.equal(validUntil.getTime() - validFrom.getTime(), config.validity_days * DAY_MS);
      });

      it('salts are at least 16 bytes and all distinct, within a credential and across two', async () => {
        const credentials = await Promise.all([fixture.mint(config), fixture.mint(config)]);
        const verified = await Promise.all(credentials.map((credential) => fixture.verify(credential, config)));
        const salts = verified.flatMap((one) =>
          Object.values(one.items)
            .flat()
            .map((item) => Buffer.from(item.random)),
        );
        assert.ok(salts.every((salt) => salt.length >= 16));
        assert.equal(new Set(salts.map((salt) => salt.toString('hex'))).size, salts.length);
      });

      it('a changed element value fails the digest check', async () => {
        const credential = await fixture.mint(config);
        const [namespace, elements] = Object.entries(config.sample)[0]!;
        const element = Object.keys(elements)[0]!;
        const item = itemOf(await fixture.verify(credential, config), namespace, element);
        await assert.rejects(
          fixture.verify(withItemByteChanged(credential, item.itemBytes), config),
          new RegExp(`digest for ${namespace}/${element}`),
        );
      });

      it('decodes for logs: plain JSON, dates as strings, bytes described, MSO and certificate summarised', async () => {
        const decoded = decodeMdoc(await fixture.mint(config));
        assert.ok(!('undecodable' in decoded), JSON.stringify(decoded));
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded, 'JSON-safe');
        assert.equal(decoded.doctype, config.doctype);
        assert.deepEqual(decoded.namespaces, decodedSample(config));
        const { holderJwk } = fixture;
        assert.equal(decoded.mso.version, '1.0');
        assert.equal(decoded.mso.digestAlgorithm, 'SHA-256');
        assert.equal(decoded.mso.docType, config.doctype);
        assert.deepEqual(decoded.mso.deviceKey, {
          kty: holderJwk.kty,
          crv: holderJwk.crv,
          x: holderJwk.x,
          y: holderJwk.y,
        });
        assert.equal(decoded.mso.deviceKeyThumbprint, await calculateJwkThumbprint(holderJwk));
        const counts = Object.entries(config.sample).map(([namespace, elements]) => [namespace, Object.keys(elements).length]);
        assert.deepEqual(decoded.mso.valueDigests, Object.fromEntries(counts));
        assert.match(decoded.mso.validityInfo.signed, /^\d{4}-\d{2}-\d{2}T\d{2}:00:00Z$/);
        const leaf = new X509Certificate(fixture.chain.leafPem);
        assert.deepEqual(decoded.issuerCertificate, {
          subject: 'C=DE, O=OID4VCI Playground, CN=Test DS',
          issuer: 'C=DE, O=OID4VCI Playground, CN=Test IACA',
          notBefore: new Date(leaf.validFrom).toISOString(),
          notAfter: new Date(leaf.validTo).toISOString(),
          serial: leaf.serialNumber,
        });
      });
    });
  }
});
