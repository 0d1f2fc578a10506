// mintMdoc checked by an independent verifier (@auth0/mdl, test/support/verify-mdoc.ts) and
// decodeMdoc (FMT-MD-01..03, H-19, FMT-ALL-01; OID4VCI 1.0 Appendix A.2, ISO/IEC 18013-5 §9.1.2).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { X509Certificate } from 'node:crypto';
import { decodeMdoc, mdocConfigurations, mintMdoc, type MdocConfiguration } from '../../src/formats/mso-mdoc/index.ts';
import { createCertificateChain, type CertificateChain } from '../../src/issuance/certificates.ts';
import { verifyMdoc, type VerifiedItem } from '../support/verify-mdoc.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
// ISO 18013-5 Annex B: the document signer and its CA name a country, which mDL verifiers match
// against issuing_country.
const chainFor = (now: number) =>
  createCertificateChain({ caName: 'C=DE, O=OID4VCI Playground, CN=Test IACA', leafName: 'C=DE, O=OID4VCI Playground, CN=Test DS', now, caDays: 30, leafDays: 10 });

const encodedText = (value: string) => Buffer.concat([Buffer.from([0x60 + value.length]), Buffer.from(value)]);
/** The bytes of an item after its "elementValue" key: the encoded value, which owf writes last. */
const encodedValue = (item: VerifiedItem) => {
  const bytes = Buffer.from(item.itemBytes);
  return bytes.subarray(bytes.indexOf(encodedText('elementValue')) + 13);
};

function itemOf(items: Record<string, VerifiedItem[]>, namespace: string, element: string): VerifiedItem {
  const item = items[namespace]?.find((candidate) => candidate.elementIdentifier === element);
  assert.ok(item, `${namespace}.${element} is issued`);
  return item;
}

/** Re-encodes the credential with one bit of an element's value changed in place. */
function tampered(credential: string, item: VerifiedItem): string {
  const bytes = Buffer.from(credential, 'base64url');
  const at = bytes.indexOf(Buffer.from(item.itemBytes)) + item.itemBytes.length - 1;
  bytes[at] = bytes[at]! ^ 0x01;
  return bytes.toString('base64url');
}

describe('mso_mdoc minting, verified by @auth0/mdl', () => {
  const now = Date.now();
  let chain: CertificateChain;
  let holderJwk: JWK;
  const mint = (config: MdocConfiguration, overrides: Partial<Parameters<typeof mintMdoc>[0]> = {}) =>
    mintMdoc({ config, claims: config.sample, holderJwk, issuer: { privateKey: chain.leafPrivateJwk, leafCertificatePem: chain.leafPem }, now, ...overrides });
  const verify = (credential: string, config: MdocConfiguration, overrides: Partial<Parameters<typeof verifyMdoc>[1]> = {}) =>
    verifyMdoc(credential, { caPem: chain.caPem, holderJwk, now, doctype: config.doctype, ...overrides });

  before(async () => {
    chain = await chainFor(now);
    holderJwk = await exportJWK((await generateKeyPair('ES256')).publicKey);
  });

  for (const config of mdocConfigurations) {
    describe(config.id, () => {
      it('FMT-MD-01, FMT-MD-03, H-19: verifies through the chain to the CA, with digests, device key, validity and doctype', async () => {
        const credential = await mint(config);
        assert.match(credential, /^[A-Za-z0-9_-]+$/, 'FMT-MD-01: base64url without padding');
        const verified = await verify(credential, config);
        assert.deepEqual(Object.keys(verified.namespaces), Object.keys(config.sample));
        for (const [namespace, elements] of Object.entries(config.sample)) {
          assert.deepEqual(Object.keys(verified.namespaces[namespace]!).sort(), Object.keys(elements).sort(), `${namespace}: every sample element is issued`);
        }
        assert.equal(verified.protectedHeaders.get(1), -7, 'IssuerAuth alg ES256');
      });

      it('FMT-ALL-01: validityInfo is rounded to the hour and lasts validity_days', async () => {
        const { mso } = await verify(await mint(config), config);
        const { signed, validFrom, validUntil } = mso.validityInfo;
        assert.equal(signed.getTime() % HOUR_MS, 0);
        assert.ok(now - signed.getTime() < HOUR_MS && signed.getTime() <= now);
        assert.equal(validFrom.getTime(), signed.getTime());
        assert.equal(validUntil.getTime() - validFrom.getTime(), config.validity_days * DAY_MS);
      });

      it('salts are at least 16 bytes and all distinct, within a credential and across two', async () => {
        const first = await verify(await mint(config), config);
        const second = await verify(await mint(config), config);
        const salts = [first, second].flatMap((verified) => Object.values(verified.items).flat().map((item) => Buffer.from(item.random).toString('hex')));
        assert.ok(salts.every((salt) => salt.length >= 32), 'at least 16 bytes each');
        assert.equal(new Set(salts).size, salts.length);
      });

      it('a changed element value fails the digest check', async () => {
        const credential = await mint(config);
        const { items } = await verify(credential, config);
        const [namespace, elements] = Object.entries(config.sample)[0]!;
        const element = Object.keys(elements)[0]!;
        await assert.rejects(verify(tampered(credential, itemOf(items, namespace, element)), config), new RegExp(`digest for ${namespace}/${element}`));
      });

      it('decodes for logs: plain JSON with dates as strings, bytes described, MSO and certificate summarised', async () => {
        const decoded = decodeMdoc(await mint(config));
        assert.ok(!('undecodable' in decoded), JSON.stringify(decoded));
        assert.equal(decoded.doctype, config.doctype);
        const expected = Object.fromEntries(
          Object.entries(config.sample).map(([namespace, elements]) => [
            namespace,
            Object.fromEntries(
              Object.entries(elements).map(([element, value]) => {
                const isImage = config.claims.some((claim) => claim.path[0] === namespace && claim.path[1] === element && claim.type === 'image');
                return [element, isImage ? { bytes: Buffer.from(value as string, 'base64').length, base64: value, media_type: 'image/jpeg' } : value];
              }),
            ),
          ]),
        );
        assert.deepEqual(decoded.namespaces, expected);
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded, 'JSON-safe');
        assert.equal(decoded.mso.digestAlgorithm, 'SHA-256');
        assert.deepEqual(decoded.mso.deviceKey, { kty: holderJwk.kty, crv: holderJwk.crv, x: holderJwk.x, y: holderJwk.y });
        assert.equal(decoded.mso.deviceKeyThumbprint, await calculateJwkThumbprint(holderJwk));
        assert.deepEqual(decoded.mso.valueDigests, Object.fromEntries(Object.entries(config.sample).map(([ns, elements]) => [ns, Object.keys(elements).length])));
        const leaf = new X509Certificate(chain.leafPem);
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

  describe('encodings (ISO 18013-5 §7.2.1)', () => {
    const [pid, mdl] = mdocConfigurations;

    it('birth_date is a full-date, tag 1004 over the date string', async () => {
      const { items } = await verify(await mint(pid!), pid!);
      const value = encodedValue(itemOf(items, 'eu.europa.ec.eudi.pid.1', 'birth_date'));
      assert.deepEqual([...value.subarray(0, 3)], [0xd9, 0x03, 0xec], 'tag 1004');
      assert.deepEqual(value.subarray(3, 14), encodedText('1984-01-26'));
    });

    it('the portrait is a byte string holding the JPEG', async () => {
      const { items, namespaces } = await verify(await mint(mdl!), mdl!);
      const value = encodedValue(itemOf(items, 'org.iso.18013.5.1', 'portrait'));
      assert.equal(value[0]! >> 5, 2, 'major type 2, bstr');
      const portrait = namespaces['org.iso.18013.5.1']!.portrait as Uint8Array;
      assert.equal(Buffer.from(portrait).toString('base64'), mdl!.sample['org.iso.18013.5.1']!.portrait);
    });

    it('portrait_capture_date is a tdate (tag 0) without fractions; driving privilege dates are full-dates', async () => {
      const { items } = await verify(await mint(mdl!), mdl!);
      const capture = encodedValue(itemOf(items, 'org.iso.18013.5.1', 'portrait_capture_date'));
      assert.equal(capture[0], 0xc0, 'tag 0');
      assert.deepEqual(capture.subarray(1, 22), encodedText('2024-02-20T09:30:00Z'));
      const privileges = encodedValue(itemOf(items, 'org.iso.18013.5.1', 'driving_privileges'));
      assert.ok(privileges.includes(Buffer.concat([Buffer.from([0xd9, 0x03, 0xec]), encodedText('2002-09-17')])));
      assert.equal(privileges[0], 0x82, 'an array of the two privileges');
    });

    it('booleans and unsigned integers are CBOR simple values and integers', async () => {
      const { items } = await verify(await mint(mdl!), mdl!);
      assert.equal(encodedValue(itemOf(items, 'org.iso.18013.5.1', 'age_over_18'))[0], 0xf5, 'true');
      assert.deepEqual([...encodedValue(itemOf(items, 'org.iso.18013.5.1', 'height'))], [0x18, 168], 'uint 168');
    });
  });

  describe('what must fail', () => {
    const [pid] = mdocConfigurations;

    it('a CA other than the issuer\'s', async () => {
      const other = await chainFor(now);
      await assert.rejects(verify(await mint(pid!), pid!, { caPem: other.caPem }), /Issuer certificate must be valid/);
    });

    it('a changed signature byte', async () => {
      const bytes = Buffer.from(await mint(pid!), 'base64url');
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01;
      await assert.rejects(verify(bytes.toString('base64url'), pid!), /Issuer signature must be valid/);
    });

    it('FMT-MD-03: a device key other than the expected holder key', async () => {
      const otherHolder = await exportJWK((await generateKeyPair('ES256')).publicKey);
      await assert.rejects(verify(await mint(pid!), pid!, { holderJwk: otherHolder }), /FMT-MD-03/);
    });

    it('a time outside the validity window, and another doctype', async () => {
      const credential = await mint(pid!, { validityDays: 1 });
      await assert.rejects(verify(credential, pid!, { now: now + 2 * DAY_MS }), /not valid at/);
      await assert.rejects(verify(credential, pid!, { doctype: 'org.iso.18013.5.1.mDL' }), /docType/);
    });

    it('padding is not base64url as FMT-MD-01 requires', async () => {
      await assert.rejects(verify(`${await mint(pid!)}=`, pid!), /FMT-MD-01/);
    });
  });
  describe('what mintMdoc accepts and refuses', () => {
    const [pid] = mdocConfigurations;

    it('a WebCrypto issuer key, an Ed25519 holder key (OKP COSE_Key) and a namespace outside the configuration', async () => {
      const privateKey = (await importJWK(chain.leafPrivateJwk, 'ES256')) as CryptoKey;
      const edHolder = await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519' })).publicKey);
      const claims = { ...pid!.sample, 'de.bund.pid.1': { academic_title: 'Dr.' } };
      const credential = await mint(pid!, { claims, holderJwk: edHolder, issuer: { privateKey, leafCertificatePem: chain.leafPem } });
      const verified = await verify(credential, pid!, { holderJwk: edHolder });
      assert.deepEqual(verified.namespaces['de.bund.pid.1'], { academic_title: 'Dr.' });
    });

    it('claims that fail mdocClaimsSchema are not signed', async () => {
      const claims = structuredClone(pid!.sample);
      claims['eu.europa.ec.eudi.pid.1']!.birth_date = '26.01.1984';
      await assert.rejects(mint(pid!, { claims }), /must be a date YYYY-MM-DD/);
    });

    it('a holder key with private members, or of another key type', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      await assert.rejects(mint(pid!, { holderJwk: await exportJWK(privateKey) }), /public JWK/);
      await assert.rejects(mint(pid!, { holderJwk: { kty: 'oct', k: 'c2VjcmV0' } }), /EC or OKP/);
    });

    it('an issuer key that is not P-256, or not the key of the leaf certificate', async () => {
      const p384 = await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey);
      await assert.rejects(mint(pid!, { issuer: { privateKey: p384, leafCertificatePem: chain.leafPem } }), /P-256/);
      const other = await chainFor(now);
      await assert.rejects(mint(pid!, { issuer: { privateKey: other.leafPrivateJwk, leafCertificatePem: chain.leafPem } }), /does not belong to the leaf certificate/);
    });
  });

  it('decodeMdoc never throws: garbage comes back as { undecodable }', async () => {
    const credential = await mint(mdocConfigurations[0]!);
    const garbage: unknown[] = ['', 'abc', 'a==', credential.slice(0, 200), Buffer.from([0xa1, 0x61, 0x61, 0x01]).toString('base64url'), `${credential}AAAA`, 42, null];
    for (const input of garbage) {
      const decoded = decodeMdoc(input as string);
      assert.ok('undecodable' in decoded && typeof decoded.undecodable === 'string' && decoded.undecodable.length > 0, `for ${String(input).slice(0, 20)}`);
    }
  });
});
