// Request and response encryption building blocks (OID4VCI 1.0 Sections 10, 12.2.4): the issuer
// key, the metadata (MD-09), round trips with jose on the wallet side, and each decryption fault.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CompactEncrypt,
  type CompactJWEHeaderParameters,
  compactDecrypt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from 'jose';
import { decryptRequest, encryptResponse, type RequestDecryptionProblem } from '../../src/lifecycle/encryption.ts';
import {
  generateRequestEncryptionJwk,
  loadRequestEncryptionKey,
  type RequestEncryptionKey,
} from '../../src/lifecycle/encryption-keys.ts';
import { encryptionMetadata } from '../../src/lifecycle/encryption-metadata.ts';

const issuerKey = await loadRequestEncryptionKey(await generateRequestEncryptionJwk());
const otherKey = await loadRequestEncryptionKey(await generateRequestEncryptionJwk());
const accepted = encryptionMetadata([issuerKey], { required: false }).credential_request_encryption;

const wallet = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
const walletJwk: JWK = { ...(await exportJWK(wallet.publicKey)), alg: 'ECDH-ES', kid: 'wallet-enc-1' };

const REQUEST = { credential_configuration_id: 'pid', proofs: { jwt: ['eyJ.x.y'] } };
const bytesOf = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

/** What a wallet does: encrypt the JSON request to an issuer key taken from the metadata. */
async function walletEncrypts(
  header: Record<string, unknown> = {},
  plaintext: unknown = REQUEST,
  to: RequestEncryptionKey = issuerKey,
): Promise<string> {
  return new CompactEncrypt(bytesOf(plaintext))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: to.kid, ...header } as CompactJWEHeaderParameters)
    .encrypt(await importJWK(to.publicJwk, 'ECDH-ES'));
}

describe('issuer request encryption key and metadata (MD-09)', () => {
  it('MD-09: the key is ECDH-ES P-256 with kid (its thumbprint), use enc, and a public JWK without d', async () => {
    const jwk = await generateRequestEncryptionJwk();
    assert.deepEqual(
      [jwk.kty, jwk.crv, jwk.use, jwk.alg, typeof jwk.kid, typeof jwk.d],
      ['EC', 'P-256', 'enc', 'ECDH-ES', 'string', 'string'],
    );
    const key = await loadRequestEncryptionKey(jwk);
    assert.equal(key.kid, jwk.kid);
    assert.equal('d' in key.publicJwk, false);
    assert.deepEqual(key.publicJwk, { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: jwk.kid, use: 'enc', alg: 'ECDH-ES' });
    await assert.rejects(() => loadRequestEncryptionKey(key.publicJwk), /private part/);
  });

  it('MD-09: credential_request_encryption and credential_response_encryption have the 1.0 members', () => {
    assert.deepEqual(encryptionMetadata([issuerKey, otherKey], { required: true }), {
      credential_request_encryption: {
        jwks: { keys: [issuerKey.publicJwk, otherKey.publicJwk] },
        enc_values_supported: ['A128GCM', 'A256GCM'],
        zip_values_supported: ['DEF'],
        encryption_required: true,
      },
      credential_response_encryption: {
        alg_values_supported: ['ECDH-ES'],
        enc_values_supported: ['A128GCM', 'A256GCM'],
        zip_values_supported: ['DEF'],
        encryption_required: true,
      },
    });
    assert.ok(
      encryptionMetadata([issuerKey], { required: false }).credential_request_encryption.jwks.keys.every(
        (k) => typeof k.kid === 'string' && !('d' in k),
      ),
    );
    assert.throws(() => encryptionMetadata([], { required: false }), /at least one key/);
  });
});

describe('encryptResponse (ENC-01)', () => {
  for (const enc of ['A128GCM', 'A256GCM']) {
    it(`ENC-01: ${enc} response decrypts with the wallet key; alg is jwk.alg and jwk.kid is echoed`, async () => {
      const payload = { credentials: [{ credential: 'eyJ...' }], notification_id: 'n-1' };
      const jwe = await encryptResponse(payload, { jwk: walletJwk, enc });
      assert.deepEqual((({ alg, enc: e, kid, zip }) => ({ alg, enc: e, kid, zip }))(decodeProtectedHeader(jwe)), {
        alg: 'ECDH-ES',
        enc,
        kid: 'wallet-enc-1',
        zip: undefined,
      });
      const { plaintext } = await compactDecrypt(jwe, wallet.privateKey);
      assert.deepEqual(JSON.parse(new TextDecoder().decode(plaintext)), payload);
    });
  }

  it('ENC-01: zip DEF compresses before encryption and the wallet inflates it', async () => {
    const payload = { credentials: [{ credential: 'A'.repeat(4000) }] };
    const compressed = await encryptResponse(payload, { jwk: walletJwk, enc: 'A128GCM', zip: 'DEF' });
    const plain = await encryptResponse(payload, { jwk: walletJwk, enc: 'A128GCM' });
    assert.equal(decodeProtectedHeader(compressed).zip, 'DEF');
    assert.ok(compressed.length < plain.length / 4, `${compressed.length} vs ${plain.length}`);
    const { plaintext } = await compactDecrypt(compressed, wallet.privateKey);
    assert.deepEqual(JSON.parse(new TextDecoder().decode(plaintext)), payload);
  });

  it('ENC-01: without a kid on the jwk the header has none; X25519 keys work too', async () => {
    const x25519 = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true });
    const jwk = { ...(await exportJWK(x25519.publicKey)), alg: 'ECDH-ES' };
    const jwe = await encryptResponse({ ok: true }, { jwk, enc: 'A256GCM' });
    assert.equal('kid' in decodeProtectedHeader(jwe), false);
    assert.deepEqual(JSON.parse(new TextDecoder().decode((await compactDecrypt(jwe, x25519.privateKey)).plaintext)), {
      ok: true,
    });
    await assert.rejects(() => encryptResponse({}, { jwk: { ...jwk, alg: undefined }, enc: 'A256GCM' }), /no alg/);
  });
});

describe('decryptRequest (ENC-04)', () => {
  it('ENC-04: a request encrypted to the issuer key decrypts to the JSON request', async () => {
    const result = await decryptRequest(await walletEncrypts(), [otherKey, issuerKey], accepted);
    assert.ok(result.ok, result.ok ? '' : result.reason);
    if (result.ok) {
      assert.deepEqual(result.payload, REQUEST);
      assert.equal(result.kid, issuerKey.kid);
    }
  });

  it('ENC-04: A256GCM with zip DEF decrypts too', async () => {
    const result = await decryptRequest(await walletEncrypts({ enc: 'A256GCM', zip: 'DEF' }), [issuerKey], accepted);
    assert.ok(result.ok && result.payload.credential_configuration_id === 'pid');
  });

  const faults: {
    name: string;
    problem: RequestDecryptionProblem;
    jwe: () => Promise<unknown>;
    accept?: Parameters<typeof decryptRequest>[2];
  }[] = [
    { name: 'a JSON object instead of a JWE', problem: 'malformed', jwe: async () => REQUEST },
    { name: 'garbage text', problem: 'malformed', jwe: async () => 'not-a-jwe' },
    { name: 'a JWS (three parts)', problem: 'malformed', jwe: async () => 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln' },
    { name: 'five parts whose header is not JSON', problem: 'malformed', jwe: async () => 'bm90IGpzb24.a.b.c.d' },
    { name: 'no kid', problem: 'kid', jwe: () => walletEncrypts({ kid: undefined }) },
    { name: 'a kid of no issuer key', problem: 'kid', jwe: () => walletEncrypts({}, REQUEST, otherKey) },
    { name: 'alg ECDH-ES+A128KW against an ECDH-ES key', problem: 'alg', jwe: () => walletEncrypts({ alg: 'ECDH-ES+A128KW' }) },
    { name: 'enc A192GCM, not advertised', problem: 'enc', jwe: () => walletEncrypts({ enc: 'A192GCM' }) },
    {
      name: 'zip DEF when no zip is advertised',
      problem: 'zip',
      jwe: () => walletEncrypts({ zip: 'DEF' }),
      accept: { enc_values_supported: ['A128GCM'] },
    },
    {
      name: 'a tampered ciphertext',
      problem: 'decrypt',
      jwe: async () => {
        const parts = (await walletEncrypts()).split('.');
        parts[3] = `${parts[3]![0] === 'A' ? 'B' : 'A'}${parts[3]!.slice(1)}`;
        return parts.join('.');
      },
    },
    {
      name: 'the kid of the issuer key on a JWE made for another key',
      problem: 'decrypt',
      jwe: async () =>
        new CompactEncrypt(bytesOf(REQUEST))
          .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: issuerKey.kid })
          .encrypt(await importJWK(otherKey.publicJwk, 'ECDH-ES')),
    },
    {
      name: 'a plaintext that is not JSON',
      problem: 'payload',
      jwe: () => walletEncrypts({}, 'credential_configuration_id=pid'),
    },
    { name: 'a JSON array plaintext', problem: 'payload', jwe: () => walletEncrypts({}, [REQUEST]) },
    {
      name: 'a nested signed JWT (cty JWT)',
      problem: 'payload',
      jwe: () => walletEncrypts({ cty: 'JWT' }, 'eyJhbGciOiJFUzI1NiJ9.e30.c2ln'),
    },
  ];
  for (const fault of faults) {
    it(`ENC-04: ${fault.name} fails as ${fault.problem}`, async () => {
      const result = await decryptRequest(await fault.jwe(), [issuerKey], fault.accept ?? accepted);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.problem, fault.problem, result.reason);
        assert.ok(result.reason.length > 0);
      }
    });
  }
});
