// The CBOR encodings mintMdoc writes (ISO/IEC 18013-5 §7.2.1, RFC 8943, RFC 8949), what the
// independent verifier must reject, what mintMdoc refuses, and decodeMdoc on garbage.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, importJWK } from 'jose';
import { decodeMdoc, isoMdl, pidMdoc } from '../../src/formats/mso-mdoc/index.ts';
import { cborText, encodedElementValue } from '../support/mdoc-bytes.ts';
import { createMdocFixture, documentSignerChain, itemOf, type MdocFixture } from '../support/mdoc-fixture.ts';

const PID = 'eu.europa.ec.eudi.pid.1';
const MDL = 'org.iso.18013.5.1';
const DAY_MS = 24 * 60 * 60 * 1000;
const FULL_DATE_TAG = [0xd9, 0x03, 0xec];

let fixture: MdocFixture;
before(async () => {
  fixture = await createMdocFixture();
});

describe('encodings of data elements', () => {
  const mdlValue = async (element: string) =>
    encodedElementValue(itemOf(await fixture.verify(await fixture.mint(isoMdl), isoMdl), MDL, element).itemBytes);

  it('birth_date is a full-date: tag 1004 over the date string', async () => {
    const verified = await fixture.verify(await fixture.mint(pidMdoc), pidMdoc);
    const value = encodedElementValue(itemOf(verified, PID, 'birth_date').itemBytes);
    assert.deepEqual(value, Buffer.concat([Buffer.from(FULL_DATE_TAG), cborText('1984-01-26')]));
  });

  it('the portrait is a byte string holding the sample JPEG', async () => {
    const value = await mdlValue('portrait');
    const jpeg = Buffer.from(isoMdl.sample[MDL]!.portrait as string, 'base64');
    // Major type 2 (bstr) with a two-byte length: 0x59, then the length, then the bytes.
    assert.deepEqual(value, Buffer.concat([Buffer.from([0x59, jpeg.length >> 8, jpeg.length & 0xff]), jpeg]));
  });

  it('portrait_capture_date is a tdate (tag 0) without fractions', async () => {
    assert.deepEqual(
      await mdlValue('portrait_capture_date'),
      Buffer.concat([Buffer.from([0xc0]), cborText('2024-02-20T09:30:00Z')]),
    );
  });

  it('driving_privileges is an array of maps whose dates are full-dates', async () => {
    const value = await mdlValue('driving_privileges');
    assert.equal(value[0], 0x82, 'an array of the two privileges');
    assert.ok(value.includes(Buffer.concat([cborText('issue_date'), Buffer.from(FULL_DATE_TAG), cborText('2002-09-17')])));
  });

  it('booleans and unsigned integers are CBOR simple values and integers', async () => {
    assert.deepEqual([...(await mdlValue('age_over_18'))], [0xf5]);
    assert.deepEqual([...(await mdlValue('height'))], [0x18, 168]);
  });
});

describe('what the verifier must reject', () => {
  it("a CA other than the issuer's", async () => {
    const other = await documentSignerChain(fixture.now);
    await assert.rejects(
      fixture.verify(await fixture.mint(pidMdoc), pidMdoc, { caPem: other.caPem }),
      /Issuer certificate must be valid/,
    );
  });

  it('a changed signature byte', async () => {
    const bytes = Buffer.from(await fixture.mint(pidMdoc), 'base64url');
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x01;
    await assert.rejects(fixture.verify(bytes.toString('base64url'), pidMdoc), /Issuer signature must be valid/);
  });

  it('FMT-MD-03: a device key other than the expected holder key', async () => {
    const otherHolder = await exportJWK((await generateKeyPair('ES256')).publicKey);
    await assert.rejects(fixture.verify(await fixture.mint(pidMdoc), pidMdoc, { holderJwk: otherHolder }), /FMT-MD-03/);
  });

  it('a time outside the validity window, and another doctype', async () => {
    const credential = await fixture.mint(pidMdoc, { validityDays: 1 });
    await assert.rejects(fixture.verify(credential, pidMdoc, { now: fixture.now + 2 * DAY_MS }), /not valid at/);
    await assert.rejects(fixture.verify(credential, pidMdoc, { doctype: isoMdl.doctype }), /docType/);
  });

  it('FMT-MD-01: padding', async () => {
    await assert.rejects(fixture.verify(`${await fixture.mint(pidMdoc)}=`, pidMdoc), /FMT-MD-01/);
  });
});

describe('what mintMdoc accepts and refuses', () => {
  it('a WebCrypto issuer key, an Ed25519 holder key (OKP COSE_Key) and a namespace outside the configuration', async () => {
    const privateKey = (await importJWK(fixture.chain.leafPrivateJwk, 'ES256')) as CryptoKey;
    const holderJwk = await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519' })).publicKey);
    const claims = { ...pidMdoc.sample, 'de.bund.pid.1': { academic_title: 'Dr.' } };
    const issuer = { privateKey, leafCertificatePem: fixture.chain.leafPem };
    const verified = await fixture.verify(await fixture.mint(pidMdoc, { claims, holderJwk, issuer }), pidMdoc, {
      holderJwk,
    });
    assert.deepEqual(verified.namespaces['de.bund.pid.1'], { academic_title: 'Dr.' });
  });

  it('claims that fail mdocClaimsSchema are not signed', async () => {
    const claims = structuredClone(pidMdoc.sample);
    claims[PID]!.birth_date = '26.01.1984';
    await assert.rejects(fixture.mint(pidMdoc, { claims }), /must be a date YYYY-MM-DD/);
  });

  it('a holder key with private members, or of another key type', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    await assert.rejects(fixture.mint(pidMdoc, { holderJwk: await exportJWK(privateKey) }), /public JWK/);
    await assert.rejects(fixture.mint(pidMdoc, { holderJwk: { kty: 'oct', k: 'c2VjcmV0' } }), /EC or OKP/);
  });

  it('an issuer key that is not P-256, or not the key of the leaf certificate', async () => {
    const leafCertificatePem = fixture.chain.leafPem;
    const p384 = await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey);
    await assert.rejects(fixture.mint(pidMdoc, { issuer: { privateKey: p384, leafCertificatePem } }), /P-256/);
    const other = await documentSignerChain(fixture.now);
    await assert.rejects(
      fixture.mint(pidMdoc, { issuer: { privateKey: other.leafPrivateJwk, leafCertificatePem } }),
      /does not belong to the leaf certificate/,
    );
  });
});

it('decodeMdoc never throws: garbage comes back as { undecodable: reason }', async () => {
  const credential = await fixture.mint(pidMdoc);
  const notIssuerSigned = Buffer.from([0xa1, 0x61, 0x61, 0x01]).toString('base64url'); // {"a": 1}
  const garbage: unknown[] = ['', 'abc', 'a==', credential.slice(0, 200), notIssuerSigned, `${credential}AAAA`, 42, null];
  for (const input of garbage) {
    const decoded = decodeMdoc(input as string);
    assert.ok('undecodable' in decoded && decoded.undecodable.length > 0, `for ${String(input).slice(0, 20)}`);
  }
});
