// W3C Bitstring Status List v1.0 for jwt_vc_json credentials (no checklist rule of its own; rows
// name FMT-JW-01, the jwt_vc_json format, and FMT-ALL-01). Decoded independently: multibase "u",
// base64url, gunzip, then bits read most significant first.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { decodeProtectedHeader, importX509, jwtVerify } from 'jose';
import {
  BITSTRING_STATUS_LIST_MEDIA_TYPE,
  bitstringStatusEntry,
  bitstringStatusListCredential,
  signBitstringStatusListCredential,
} from '../../src/lifecycle/bitstring-status-credential.ts';
import { BITSTRING_MIN_ENTRIES, BitstringStatusList } from '../../src/lifecycle/bitstring-status-list.ts';
import { assertLeafOnlyX5c, NOW_MS, NOW_S, testIssuer } from './signer.ts';

const LIST_URL = 'https://issuer.example/status/revocation/1';
const ISSUER = 'https://issuer.example';
const OPTIONS = {
  url: LIST_URL,
  issuer: ISSUER,
  purpose: 'revocation',
  now: NOW_MS,
  validForSeconds: 86_400,
  ttlSeconds: 300,
} as const;

// The example BitstringStatusListCredential of the specification ("BitstringStatusListCredential").
const SPEC_EXAMPLE_ENCODED_LIST = 'uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA';

function decodeEncodedList(encodedList: string): Buffer {
  assert.equal(encodedList[0], 'u', 'multibase base64url prefix');
  assert.match(encodedList.slice(1), /^[A-Za-z0-9_-]+$/, 'base64url without padding');
  return gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
}
const bitAt = (bytes: Uint8Array, index: number) => (bytes[index >> 3]! >> (7 - (index & 7))) & 1;

describe('BitstringStatusList (FMT-JW-01)', () => {
  it('FMT-JW-01: an empty list decodes exactly like the specification example (16 KB of zeros)', () => {
    const example = decodeEncodedList(SPEC_EXAMPLE_ENCODED_LIST);
    assert.equal(example.length, 16_384);
    assert.deepEqual(decodeEncodedList(new BitstringStatusList().encodedList()), example);
  });

  for (const index of [0, 1, 7, 8, 94_567, BITSTRING_MIN_ENTRIES - 1]) {
    it(`FMT-JW-01: index ${index} is bit ${7 - (index % 8)} of byte ${index >> 3} (left-most bit is index 0)`, () => {
      const list = new BitstringStatusList();
      list.set(index, true);
      const bytes = decodeEncodedList(list.encodedList());
      const set = [...bytes.keys()].filter((i) => bytes[i] !== 0);
      assert.deepEqual(set, [index >> 3]);
      assert.equal(bytes[index >> 3], 0x80 >> (index % 8));
      assert.equal(bitAt(bytes, index), 1);
      assert.equal(list.get(index), true);
      list.set(index, false);
      assert.equal(list.get(index), false);
    });
  }

  it('FMT-JW-01: a list restored from its bytes keeps its bits', () => {
    const list = new BitstringStatusList({ size: 2 * BITSTRING_MIN_ENTRIES });
    list.set(200_000, true);
    assert.equal(new BitstringStatusList({ size: 2 * BITSTRING_MIN_ENTRIES, bytes: list.toBytes() }).get(200_000), true);
  });

  const refusals: { name: string; act: () => unknown }[] = [
    { name: 'a list below 131,072 entries', act: () => new BitstringStatusList({ size: 1024 }) },
    { name: 'a size that is not whole bytes', act: () => new BitstringStatusList({ size: BITSTRING_MIN_ENTRIES + 1 }) },
    { name: 'an index past the end', act: () => new BitstringStatusList().get(BITSTRING_MIN_ENTRIES) },
  ];
  for (const { name, act } of refusals) it(`FMT-JW-01: refuses ${name}`, () => assert.throws(act, RangeError));
});

describe('BitstringStatusListEntry (FMT-JW-01, FMT-ALL-01)', () => {
  for (const purpose of ['revocation', 'suspension'] as const) {
    it(`FMT-JW-01: a ${purpose} entry has the specification's members, the index as a base-10 string`, () => {
      assert.deepEqual(bitstringStatusEntry(purpose, LIST_URL, 94_567), {
        id: `${LIST_URL}#94567`,
        type: 'BitstringStatusListEntry',
        statusPurpose: purpose,
        statusListIndex: '94567',
        statusListCredential: LIST_URL,
      });
    });
  }

  it('FMT-JW-01: the entry id is never the URL of the list', () => {
    assert.notEqual(bitstringStatusEntry('revocation', LIST_URL, 0).id, LIST_URL);
    assert.throws(() => bitstringStatusEntry('revocation', LIST_URL, -1), RangeError);
  });
});

describe('BitstringStatusListCredential as a JWT (FMT-JW-01)', async () => {
  const issuer = await testIssuer();
  const list = new BitstringStatusList();
  list.set(42, true);
  const jwt = await signBitstringStatusListCredential(list, OPTIONS, issuer.signer);
  const header = decodeProtectedHeader(jwt);

  it('FMT-JW-01: typ vc+jwt, cty vc, ES256, x5c the leaf only; served as application/vc+jwt', () => {
    assert.deepEqual({ typ: header.typ, cty: header.cty, alg: header.alg }, { typ: 'vc+jwt', cty: 'vc', alg: 'ES256' });
    assertLeafOnlyX5c(header.x5c, issuer.ca);
    assert.equal(BITSTRING_STATUS_LIST_MEDIA_TYPE, 'application/vc+jwt');
  });

  it('FMT-JW-01: verifies with the x5c leaf; the payload is the VCDM 2.0 credential itself', async () => {
    const leaf = assertLeafOnlyX5c(header.x5c, issuer.ca);
    const { payload } = await jwtVerify(jwt, await importX509(leaf.toString(), 'ES256'), {
      typ: 'vc+jwt',
      currentDate: new Date(NOW_MS),
    });
    assert.equal(payload.vc, undefined, 'VC-JOSE-COSE forbids the vc claim');
    assert.deepEqual(payload['@context'], ['https://www.w3.org/ns/credentials/v2']);
    assert.equal(payload.id, LIST_URL);
    assert.deepEqual(payload.type, ['VerifiableCredential', 'BitstringStatusListCredential']);
    assert.deepEqual([payload.issuer, payload.iss, payload.iat, payload.exp], [ISSUER, ISSUER, NOW_S, NOW_S + 86_400]);
    assert.deepEqual(
      [payload.validFrom, payload.validUntil],
      [new Date(NOW_MS).toISOString(), new Date(NOW_MS + 86_400_000).toISOString()],
    );
    const subject = payload.credentialSubject as Record<string, unknown>;
    assert.deepEqual(
      { ...subject, encodedList: undefined },
      { id: `${LIST_URL}#list`, type: 'BitstringStatusList', statusPurpose: 'revocation', encodedList: undefined, ttl: 300_000 },
    );
    const bytes = decodeEncodedList(subject.encodedList as string);
    assert.ok(bytes.length >= 16_384);
    assert.deepEqual([bitAt(bytes, 41), bitAt(bytes, 42), bitAt(bytes, 43)], [0, 1, 0]);
  });

  it('FMT-JW-01: the unsigned credential is what the JWT carries', async () => {
    const leaf = assertLeafOnlyX5c(header.x5c, issuer.ca);
    const { payload } = await jwtVerify(jwt, await importX509(leaf.toString(), 'ES256'), { currentDate: new Date(NOW_MS) });
    const { iss: _iss, iat: _iat, exp: _exp, ...credential } = payload;
    assert.deepEqual(credential, bitstringStatusListCredential(list, OPTIONS));
  });
});
