// resolveDidKey against the test vectors of the did:key specification (w3c-ccg/did-method-key,
// test-vectors/nist-curves.json and ed25519-x25519.json) and the examples of the did:jwk
// specification, plus malformed and unsupported DIDs. Each row names the rule it covers.

import assert from 'node:assert/strict';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { resolveDidKey } from '../../src/checks/did.ts';
import { decodeBase58btc, readVarint } from '../../src/checks/multibase.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { assertFinding } from './jws-helpers.ts';

const VECTORS: { rule: string; name: string; did: string; jwk: JWK }[] = [
  {
    rule: 'PRF-03',
    name: 'did:key P-256 (vector 1)',
    did: 'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv',
    jwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns',
      y: 'efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM',
    },
  },
  {
    rule: 'PRF-03',
    name: 'did:key P-256 (vector 2)',
    did: 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169',
    jwk: {
      kty: 'EC',
      crv: 'P-256',
      x: 'fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI',
      y: 'hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU',
    },
  },
  {
    rule: 'PRF-03',
    name: 'did:key P-384 (vector 1)',
    did: 'did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9',
    jwk: {
      kty: 'EC',
      crv: 'P-384',
      x: 'lInTxl8fjLKp_UCrxI0WDklahi-7-_6JbtiHjiRvMvhedhKVdHBfi2HCY8t_QJyc',
      y: 'y6N1IC-2mXxHreETBW7K3mBcw0qGr3CWHCs-yl09yCQRLcyfGv7XhqAngHOu51Zv',
    },
  },
  {
    rule: 'PRF-03',
    name: 'did:key P-384 (vector 2)',
    did: 'did:key:z82LkvCwHNreneWpsgPEbV3gu1C6NFJEBg4srfJ5gdxEsMGRJUz2sG9FE42shbn2xkZJh54',
    jwk: {
      kty: 'EC',
      crv: 'P-384',
      x: 'CA-iNoHDg1lL8pvX3d1uvExzVfCz7Rn6tW781Ub8K5MrDf2IMPyL0RTDiaLHC1JT',
      y: 'Kpnrn8DkXUD3ge4mFxi-DKr0DYO2KuJdwNBrhzLRtfMa3WFMZBiPKUPfJj8dYNl_',
    },
  },
  {
    rule: 'PRF-03',
    name: 'did:key P-521',
    did: 'did:key:z2J9gaYxrKVpdoG9A4gRnmpnRCcxU6agDtFVVBVdn1JedouoZN7SzcyREXXzWgt3gGiwpoHq7K68X4m32D8HgzG8wv3sY5j7',
    jwk: {
      kty: 'EC',
      crv: 'P-521',
      x: 'ASUHPMyichQ0QbHZ9ofNx_l4y7luncn5feKLo3OpJ2nSbZoC7mffolj5uy7s6KSKXFmnNWxGJ42IOrjZ47qqwqyS',
      y: 'AW9ziIC4ZQQVSNmLlp59yYKrjRY0_VqO-GOIYQ9tYpPraBKUloEId6cI_vynCzlZWZtWpgOM3HPhYEgawQ703RjC',
    },
  },
  {
    rule: 'PRF-03',
    name: 'did:key Ed25519',
    did: 'did:key:z6MkwYMhwTvsq376YBAcJHy3vyRWzBgn5vKfVqqDCgm7XVKU',
    jwk: { kty: 'OKP', crv: 'Ed25519', x: '_eT7oDCtAC98L31MMx9J0T-w7HR-zuvsY08f9MvKne8' },
  },
];

// did:jwk specification, first example (P-256) and its DID document's publicKeyJwk.
const DID_JWK_P256 =
  'did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9';
const DID_JWK_P256_KEY = {
  crv: 'P-256',
  kty: 'EC',
  x: 'acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0',
  y: '_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE',
};
// did:jwk specification, second example: an X25519 key with "use": "enc".
const DID_JWK_X25519_ENC =
  'did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9';
// did:key test vectors of other key types: secp256k1 and the X25519 key agreement key of an Ed25519 DID.
const DID_KEY_SECP256K1 = 'did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme';
const DID_KEY_X25519 = 'did:key:z6LSmArkPSdTKjEESsExHRrSwUzYUHgDuWDewXc4nocasvFU';

const didJwk = (jwk: unknown) => `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
const p256 = await generateKeyPair('ES256', { extractable: true });
const privateP256 = await exportJWK(p256.privateKey);

describe('resolveDidKey: test vectors', () => {
  for (const vector of VECTORS) {
    for (const url of [vector.did, `${vector.did}#${vector.did.slice('did:key:'.length)}`]) {
      it(`${vector.rule}: ${vector.name}${url.includes('#') ? ' with its fragment' : ''}`, () => {
        const result = resolveDidKey(url);
        assertFinding(result, null, 'PRF-06');
        if (result.ok) assert.deepEqual(result.value, { method: 'key', did: vector.did, jwk: vector.jwk });
      });
    }
  }

  for (const url of [DID_JWK_P256, `${DID_JWK_P256}#0`]) {
    it(`PRF-03: did:jwk P-256 from the did:jwk specification${url.endsWith('#0') ? ' with #0' : ''}`, () => {
      const result = resolveDidKey(url);
      assertFinding(result, null, 'PRF-04');
      if (result.ok) assert.deepEqual(result.value, { method: 'jwk', did: DID_JWK_P256, jwk: DID_JWK_P256_KEY });
    });
  }

  it('PRF-03: a did:key of a fresh P-256 key decompresses to that key', () => {
    const result = resolveDidKey(`did:key:z${base58(Buffer.from(`8024${compressedP256()}`, 'hex'))}`);
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.value.jwk, { kty: 'EC', crv: 'P-256', x: privateP256.x, y: privateP256.y });
  });

  it('PRF-03: a did:jwk of a fresh Ed25519 key resolves to that key, usable by node:crypto', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const jwk = await exportJWK(publicKey);
    const result = resolveDidKey(`${didJwk(jwk)}#0`);
    assert.ok(result.ok);
    if (result.ok)
      assert.equal(createPublicKey({ key: result.value.jwk as JsonWebKey, format: 'jwk' }).asymmetricKeyType, 'ed25519');
  });
});

const faults: { rule: string; name: string; url: string; id: DiagnosticId }[] = [
  { rule: 'PRF-06', name: 'did:web needs the network', url: 'did:web:wallet.example#key-1', id: 'PRF-06.did_method' },
  { rule: 'PRF-06', name: 'did:example', url: 'did:example:123456789abcdefghi', id: 'PRF-06.did_method' },
  { rule: 'PRF-03', name: 'not a DID', url: 'urn:uuid:2f9c', id: 'PRF-03.did_unresolvable' },
  { rule: 'PRF-03', name: 'did:key with nothing after it', url: 'did:key:', id: 'PRF-03.did_unresolvable' },
  {
    rule: 'PRF-03',
    name: 'did:key with a path',
    url: 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169/path',
    id: 'PRF-03.did_unresolvable',
  },
  {
    rule: 'PRF-03',
    name: 'did:key without the multibase z prefix',
    url: 'did:key:DnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169',
    id: 'PRF-03.did_unresolvable',
  },
  {
    rule: 'PRF-03',
    name: 'did:key with a character outside base58 (0)',
    url: 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2160',
    id: 'PRF-03.did_unresolvable',
  },
  {
    rule: 'PRF-03',
    name: 'did:key with the fragment of another key',
    url: 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169#keys-1',
    id: 'PRF-03.did_unresolvable',
  },
  {
    rule: 'PRF-03',
    name: 'did:key P-256 one byte short',
    url: `did:key:z${base58(Buffer.from(`8024${compressedP256().slice(0, 64)}`, 'hex'))}`,
    id: 'PRF-03.did_unresolvable',
  },
  {
    rule: 'PRF-03',
    name: 'did:key P-256 x coordinate not a field element',
    url: `did:key:z${base58(Buffer.from(`802402${'ff'.repeat(32)}`, 'hex'))}`,
    id: 'PRF-03.did_unresolvable',
  },
  {
    rule: 'PRF-03',
    name: 'did:key P-256 with an uncompressed point',
    url: `did:key:z${base58(Buffer.concat([Buffer.from('8024', 'hex'), Buffer.from(p256Point())]))}`,
    id: 'PRF-03.did_unresolvable',
  },
  { rule: 'PRF-03', name: 'did:jwk that is not base64url JSON', url: 'did:jwk:bm90IGpzb24', id: 'PRF-03.did_unresolvable' },
  { rule: 'PRF-03', name: 'did:jwk of a JSON value that is no JWK', url: didJwk(['EC']), id: 'PRF-03.did_unresolvable' },
  { rule: 'PRF-03', name: 'did:jwk whose fragment is not #0', url: `${DID_JWK_P256}#1`, id: 'PRF-03.did_unresolvable' },
  {
    rule: 'PRF-03',
    name: 'did:jwk of an EC key without y',
    url: didJwk({ kty: 'EC', crv: 'P-256', x: DID_JWK_P256_KEY.x }),
    id: 'PRF-03.did_unresolvable',
  },
  { rule: 'PRF-04', name: 'did:jwk holding the private key (d)', url: didJwk(privateP256), id: 'PRF-04' },
  { rule: 'PRF-04', name: 'did:jwk holding a symmetric key (k)', url: didJwk({ kty: 'oct', k: 'c2VjcmV0' }), id: 'PRF-04' },
  {
    rule: 'PRF-06',
    name: 'did:jwk X25519 with use enc (did:jwk specification example)',
    url: `${DID_JWK_X25519_ENC}#0`,
    id: 'PRF-06.did_key_type',
  },
  {
    rule: 'PRF-06',
    name: 'did:jwk P-256 key marked use enc',
    url: didJwk({ ...DID_JWK_P256_KEY, use: 'enc' }),
    id: 'PRF-06.did_key_type',
  },
  { rule: 'PRF-06', name: 'did:key secp256k1 (multicodec 0xe7)', url: DID_KEY_SECP256K1, id: 'PRF-06.did_key_type' },
  {
    rule: 'PRF-06',
    name: 'did:key X25519 (multicodec 0xec, key agreement only)',
    url: DID_KEY_X25519,
    id: 'PRF-06.did_key_type',
  },
];

describe('resolveDidKey: faults', () => {
  for (const fault of faults) {
    it(`${fault.rule}: ${fault.name}`, () => assertFinding(resolveDidKey(fault.url), fault.id, fault.rule));
  }

  it('PRF-06: the key type failure names the multicodec', () => {
    const result = resolveDidKey(DID_KEY_SECP256K1);
    assert.ok(!result.ok && /0xe7 \(secp256k1\)/.test(result.failure.detail ?? ''));
  });
});

describe('multibase helpers', () => {
  const base58Cases: [string, number[]][] = [
    ['2NEpo7TZRRrLZSi2U', [...Buffer.from('Hello World!')]],
    ['1', [0]],
    ['111', [0, 0, 0]],
    ['11Ldp', [0, 0, 1, 2, 3]],
  ];
  for (const [text, bytes] of base58Cases) {
    it(`PRF-03: base58btc ${text}`, () => assert.deepEqual([...decodeBase58btc(text)!], bytes));
  }
  it('PRF-03: base58btc refuses 0, O, I, l and the empty string', () => {
    for (const text of ['0', 'O', 'I', 'l', '']) assert.equal(decodeBase58btc(text), undefined, text);
  });
  it('PRF-03: varint 0xed 0x01 is 0xed, 0x80 0x24 is 0x1200, 0x81 0x24 is 0x1201', () => {
    assert.deepEqual(readVarint(Uint8Array.from([0xed, 0x01, 0xff])), { value: 0xed, length: 2 });
    assert.deepEqual(readVarint(Uint8Array.from([0x80, 0x24])), { value: 0x1200, length: 2 });
    assert.deepEqual(readVarint(Uint8Array.from([0x81, 0x24])), { value: 0x1201, length: 2 });
    assert.equal(readVarint(Uint8Array.from([0x80, 0x80])), undefined);
  });
});

/** A reference base58btc encoder, to build malformed did:key values. */
function base58(bytes: Uint8Array): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let value = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let text = '';
  for (; value > 0n; value /= 58n) text = alphabet[Number(value % 58n)] + text;
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}

function compressedP256(): string {
  const y = Buffer.from(privateP256.y!, 'base64url');
  return `${y[31]! & 1 ? '03' : '02'}${Buffer.from(privateP256.x!, 'base64url').toString('hex')}`;
}

function p256Point(): Uint8Array {
  const jwk = privateP256;
  return Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
}
