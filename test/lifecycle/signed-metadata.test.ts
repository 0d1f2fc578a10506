// signMetadata (OID4VCI 1.0 Section 12.2.3, MD-11, HAIP 1.0 Section 4.1 / H-08), verified
// through its x5c leaf with jose.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { SIGNED_METADATA_TYP, signMetadata } from '../../src/lifecycle/signed-metadata.ts';
import { assertLeafOnlyX5c, NOW_MS, NOW_S, testIssuer } from './signer.ts';

const METADATA = {
  credential_issuer: 'https://issuer.example',
  credential_endpoint: 'https://issuer.example/credential',
  nonce_endpoint: 'https://issuer.example/nonce',
  display: [{ name: 'Playground', locale: 'en-US' }],
  credential_configurations_supported: { pid: { format: 'dc+sd-jwt', vct: 'urn:eudi:pid:1' } },
};
const issuer = await testIssuer();

describe('signMetadata (MD-11, H-08)', async () => {
  const jwt = await signMetadata(METADATA, issuer.signer, { now: NOW_MS + 500 });
  const header = decodeProtectedHeader(jwt);

  it('MD-11: typ openidvci-issuer-metadata+jwt with the asymmetric alg ES256', () => {
    assert.equal(header.typ, 'openidvci-issuer-metadata+jwt');
    assert.equal(SIGNED_METADATA_TYP, header.typ);
    assert.equal(header.alg, 'ES256');
  });

  it('H-08: the key is in x5c, the leaf only (no anchor, not self-signed), and verifies the signature', async () => {
    const leaf = assertLeafOnlyX5c(header.x5c, issuer.ca);
    await jwtVerify(jwt, await importX509(leaf.toString(), 'ES256'), {
      typ: SIGNED_METADATA_TYP,
      subject: METADATA.credential_issuer,
      currentDate: new Date(NOW_MS),
    });
  });

  it('MD-11: every metadata parameter is a top-level claim, with sub = credential_issuer and iat; no iss, no exp', async () => {
    const leaf = assertLeafOnlyX5c(header.x5c, issuer.ca);
    const { payload } = await jwtVerify(jwt, await importX509(leaf.toString(), 'ES256'), { currentDate: new Date(NOW_MS) });
    assert.deepEqual(payload, { ...METADATA, sub: 'https://issuer.example', iat: NOW_S });
  });

  it('MD-11: exp when a validity is given', async () => {
    const withExp = await signMetadata(METADATA, issuer.signer, { now: NOW_MS, validForSeconds: 3600 });
    const leaf = assertLeafOnlyX5c(decodeProtectedHeader(withExp).x5c, issuer.ca);
    const { payload } = await jwtVerify(withExp, await importX509(leaf.toString(), 'ES256'), { currentDate: new Date(NOW_MS) });
    assert.deepEqual([payload.iat, payload.exp], [NOW_S, NOW_S + 3600]);
  });

  it("MD-11: sub and iat are the signer's even when the metadata carries members of those names", async () => {
    const forged = await signMetadata({ ...METADATA, sub: 'https://evil.example', iat: 1 }, issuer.signer, { now: NOW_MS });
    const leaf = assertLeafOnlyX5c(decodeProtectedHeader(forged).x5c, issuer.ca);
    const { payload } = await jwtVerify(forged, await importX509(leaf.toString(), 'ES256'), { currentDate: new Date(NOW_MS) });
    assert.deepEqual([payload.sub, payload.iat], ['https://issuer.example', NOW_S]);
  });
});
