// Status List Tokens (draft-ietf-oauth-status-list-14 Section 5, HAIP 1.0 Section 6.1), verified
// independently: the JWT with jose and the x5c leaf, the CWT by rebuilding the COSE Sig_structure
// with cbor-x and verifying it with node:crypto against the x5chain certificate.

import assert from 'node:assert/strict';
import { verify, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';
import { Decoder, Encoder } from 'cbor-x';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import { TokenStatus, TokenStatusList } from '../../src/lifecycle/status-list.ts';
import { STATUS_LIST_CWT_MEDIA_TYPE, signStatusListCwt } from '../../src/lifecycle/status-list-cwt.ts';
import { STATUS_LIST_JWT_MEDIA_TYPE, signStatusListJwt } from '../../src/lifecycle/status-list-jwt.ts';
import { assertLeafOnlyX5c, NOW_MS, NOW_S, testIssuer } from './signer.ts';

const URI = 'https://issuer.example/status-lists/1';
const OPTIONS = { uri: URI, now: NOW_MS + 999, ttlSeconds: 300, validForSeconds: 86_400 };
const issuer = await testIssuer();

const list = new TokenStatusList();
list.set(7, TokenStatus.INVALID);
list.set(4242, TokenStatus.SUSPENDED);

const statusAt = (bytes: Uint8Array, index: number) => (bytes[index >> 2]! >> ((index & 3) * 2)) & 3;
const pem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----`;

describe('Status List Token, JWT (FMT-SD-08, H-15)', async () => {
  const jwt = await signStatusListJwt(list, OPTIONS, issuer.signer);
  const header = decodeProtectedHeader(jwt);

  it('FMT-SD-08: typ statuslist+jwt, alg ES256; served as application/statuslist+jwt', () => {
    assert.equal(header.typ, 'statuslist+jwt');
    assert.equal(header.alg, 'ES256');
    assert.equal(STATUS_LIST_JWT_MEDIA_TYPE, 'application/statuslist+jwt');
  });

  it('H-15: x5c is the CA-issued leaf only, and the signature verifies with it', async () => {
    const leaf = assertLeafOnlyX5c(header.x5c, issuer.ca);
    const { payload } = await jwtVerify(jwt, await importX509(leaf.toString(), 'ES256'), {
      typ: 'statuslist+jwt',
      currentDate: new Date(NOW_MS),
    });
    assert.equal(payload.sub, URI);
  });

  it('FMT-SD-08: sub is the list URI; iat, exp and ttl are whole seconds', async () => {
    const { payload } = await jwtVerify(jwt, await importX509(pem(Buffer.from(header.x5c![0]!, 'base64')), 'ES256'), {
      currentDate: new Date(NOW_MS),
    });
    assert.deepEqual(
      { sub: payload.sub, iat: payload.iat, exp: payload.exp, ttl: payload.ttl },
      { sub: URI, iat: NOW_S, exp: NOW_S + 86_400, ttl: 300 },
    );
  });

  it('FMT-SD-08: status_list {bits 2, lst} decodes to the statuses that were set', async () => {
    const { payload } = await jwtVerify(jwt, await importX509(pem(Buffer.from(header.x5c![0]!, 'base64')), 'ES256'), {
      currentDate: new Date(NOW_MS),
    });
    const statusList = payload.status_list as { bits: number; lst: string };
    assert.deepEqual(Object.keys(statusList).sort(), ['bits', 'lst']);
    assert.equal(statusList.bits, 2);
    const bytes = inflateSync(Buffer.from(statusList.lst, 'base64url'));
    assert.equal(bytes.length, 32_768);
    assert.deepEqual([statusAt(bytes, 6), statusAt(bytes, 7), statusAt(bytes, 4242), statusAt(bytes, 4243)], [0, 1, 2, 0]);
    assert.equal(getListFromStatusListJWT(jwt).getStatus(4242), TokenStatus.SUSPENDED, '@sd-jwt/jwt-status-list reads it too');
  });

  it('FMT-SD-08: non-positive ttl or validity is refused', async () => {
    await assert.rejects(() => signStatusListJwt(list, { ...OPTIONS, ttlSeconds: 0 }, issuer.signer), RangeError);
    await assert.rejects(() => signStatusListJwt(list, { ...OPTIONS, validForSeconds: -1 }, issuer.signer), RangeError);
  });
});

describe('Status List Token, CWT (FMT-SD-08, H-15)', () => {
  const cwt = signStatusListCwt(list, OPTIONS, issuer.signer);
  const decoder = new Decoder({ mapsAsObjects: false, useRecords: false });
  const [protectedBytes, unprotected, payload, signature] = decoder.decode(cwt) as [
    Uint8Array,
    Map<number, unknown>,
    Uint8Array,
    Uint8Array,
  ];
  const protectedHeader = decoder.decode(protectedBytes) as Map<number, unknown>;
  const claims = decoder.decode(payload) as Map<number, unknown>;

  it('FMT-SD-08: an untagged COSE_Sign1 whose protected header has alg -7 (ES256) and type 16 application/statuslist+cwt', () => {
    assert.equal(cwt[0], 0x84, 'a CBOR array of four, no tag');
    assert.equal(protectedHeader.get(1), -7);
    assert.equal(protectedHeader.get(16), 'application/statuslist+cwt');
    assert.equal(STATUS_LIST_CWT_MEDIA_TYPE, 'application/statuslist+cwt');
    assert.equal(unprotected.size, 0);
  });

  it('H-15: x5chain (33) in the protected header is the leaf only, and the signature verifies with it', () => {
    const der = protectedHeader.get(33);
    assert.ok(der instanceof Uint8Array, 'a single certificate is one bstr (RFC 9360 Section 2)');
    const leaf = assertLeafOnlyX5c([Buffer.from(der).toString('base64')], issuer.ca);
    assert.equal(Buffer.from(der).toString('base64'), issuer.signer.x5c[0]);
    // RFC 9052 Section 4.4: Sig_structure = ["Signature1", body_protected, external_aad, payload]
    const toBeSigned = new Encoder({ tagUint8Array: false }).encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
    assert.equal(signature.length, 64, 'r || s');
    assert.ok(verify('sha256', toBeSigned, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, signature));
    const tampered = Uint8Array.from(payload);
    tampered[tampered.length - 1]! ^= 1;
    const tamperedInput = new Encoder({ tagUint8Array: false }).encode([
      'Signature1',
      protectedBytes,
      new Uint8Array(0),
      tampered,
    ]);
    assert.equal(verify('sha256', tamperedInput, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, signature), false);
  });

  it('FMT-SD-08: claims sub (2), iat (6), exp (4), ttl (65534) and status_list (65533)', () => {
    assert.deepEqual(
      [...claims.keys()].sort((a, b) => a - b),
      [2, 4, 6, 65533, 65534],
    );
    assert.deepEqual([claims.get(2), claims.get(6), claims.get(4), claims.get(65534)], [URI, NOW_S, NOW_S + 86_400, 300]);
  });

  it('FMT-SD-08: status_list is {bits, lst} with text labels and lst the ZLIB bytes themselves', () => {
    const statusList = claims.get(65533) as Map<string, unknown>;
    assert.deepEqual([...statusList.keys()], ['bits', 'lst']);
    assert.equal(statusList.get('bits'), 2);
    const lst = statusList.get('lst');
    assert.ok(lst instanceof Uint8Array);
    const bytes = inflateSync(lst);
    assert.deepEqual([statusAt(bytes, 7), statusAt(bytes, 4242), statusAt(bytes, 0)], [1, 2, 0]);
  });

  it('FMT-SD-08: the certificate in x5chain is the one of the JWT x5c', () => {
    const der = protectedHeader.get(33) as Uint8Array;
    assert.equal(
      new X509Certificate(der).fingerprint256,
      new X509Certificate(Buffer.from(issuer.signer.x5c[0]!, 'base64')).fingerprint256,
    );
  });
});
