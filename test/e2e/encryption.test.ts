// Encrypted credential requests and responses (OID4VCI 1.0 Sections 8.2, 9.1, 10, 12.2.4; ENC-01..05)
// with a wallet built on jose alone: the request JWE goes to the key of credential_request_encryption,
// the response JWE is decrypted with the wallet's own key, and every fault gets its error and
// diagnostic with an unencrypted JSON body.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import {
  authorizedWallet,
  credentialRequest,
  lastError,
  PID_SD_JWT,
  resourceRequest,
  sessionRecords,
  supplyClaimsApi,
  validCredentialBody,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';

type Metadata = {
  credential_request_encryption: {
    jwks: { keys: JWK[] };
    enc_values_supported: string[];
    zip_values_supported: string[];
    encryption_required: boolean;
  };
  credential_response_encryption: {
    alg_values_supported: string[];
    enc_values_supported: string[];
    zip_values_supported: string[];
    encryption_required: boolean;
  };
};

async function walletEncryptionKey() {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), alg: 'ECDH-ES', use: 'enc', kid: 'wallet-enc-1' };
  return { jwk, privateKey };
}

/** Section 10: the JSON request as the plaintext of a compact JWE to the issuer's key, named by kid. */
async function encryptRequest(body: unknown, issuerKey: JWK, header: Record<string, string> = {}): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: issuerKey.kid!, ...header })
    .encrypt(await importJWK(issuerKey, 'ECDH-ES'));
}

describe('credential request and response encryption', () => {
  let server: TestServer;
  let caPem: string;
  let metadata: Metadata;
  before(async () => {
    server = await startServer();
    caPem = await playgroundCa(server.issuer);
    metadata = (await (await fetch(`${server.origin}/.well-known/openid-credential-issuer`)).json()) as Metadata;
  });
  after(() => server.close());

  const issuerKey = () => metadata.credential_request_encryption.jwks.keys[0]!;
  const send = (wallet: Awaited<ReturnType<typeof authorizedWallet>>, jwe: string) =>
    credentialRequest(server, wallet, jwe, { 'content-type': 'application/jwt' });

  async function expectError(res: Response, diagnosticId: string, sessionId: string, error = 'invalid_encryption_parameters') {
    assert.equal(res.status, 400, diagnosticId);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, 'ENC-05: errors are never encrypted');
    assert.equal(((await res.json()) as { error: string }).error, error);
    assert.equal((await lastError(server, sessionId))!.diagnostic, diagnosticId);
  }

  it('MD-09: metadata offers request encryption (keys with kid) and response encryption, not required by default', () => {
    const { credential_request_encryption: request, credential_response_encryption: response } = metadata;
    assert.ok(request.jwks.keys.length > 0 && request.jwks.keys.every((k) => typeof k.kid === 'string' && k.d === undefined));
    assert.deepEqual(request.enc_values_supported, ['A128GCM', 'A256GCM']);
    assert.deepEqual(response.alg_values_supported, ['ECDH-ES']);
    assert.deepEqual(response.zip_values_supported, ['DEF']);
    assert.equal(request.encryption_required, false);
    assert.equal(response.encryption_required, false);
  });

  for (const variant of [{ enc: 'A256GCM' }, { enc: 'A128GCM', zip: 'DEF' }]) {
    it(`ENC-01, ENC-03, ENC-04: an encrypted request gets a response encrypted to the wallet key (${JSON.stringify(variant)})`, async () => {
      const wallet = await authorizedWallet(server);
      const walletKey = await walletEncryptionKey();
      const body = { ...(await validCredentialBody(server)), credential_response_encryption: { jwk: walletKey.jwk, ...variant } };
      const res = await send(wallet, await encryptRequest(body, issuerKey(), variant.zip ? { zip: 'DEF' } : {}));
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/jwt/, 'CRED-23');
      const jwe = await res.text();
      const header = decodeProtectedHeader(jwe);
      assert.deepEqual(
        { alg: header.alg, enc: header.enc, kid: header.kid, zip: header.zip },
        { alg: 'ECDH-ES', enc: variant.enc, kid: 'wallet-enc-1', zip: variant.zip },
      );
      const { plaintext } = await compactDecrypt(jwe, walletKey.privateKey);
      const response = JSON.parse(new TextDecoder().decode(plaintext)) as {
        credentials: Array<{ credential: string }>;
        notification_id: string;
      };
      await verifySdJwtVc(response.credentials[0]!.credential, caPem);
      assert.equal(typeof response.notification_id, 'string');

      const checks = await sessionRecords(server, wallet.offer.session_id, 'check');
      const decrypted = checks.find((c) => c.subject === 'Encryption of the credential request')!;
      assert.equal(
        (decrypted.facts!.decrypted_request as { credential_configuration_id: string }).credential_configuration_id,
        PID_SD_JWT,
        'the log shows the decrypted request',
      );
      const encrypted = checks.find((c) => c.subject === 'Response encryption parameters')!;
      assert.equal(encrypted.facts!.kid, 'wallet-enc-1', 'the log names the key the response was encrypted to');
      assert.ok(encrypted.findings.some((f) => f.rule === 'ENC-03' && f.outcome === 'pass'));
    });
  }

  it('each fault of the response encryption parameters gets invalid_encryption_parameters and its diagnostic', async () => {
    const walletKey = await walletEncryptionKey();
    const { alg: _alg, ...noAlg } = walletKey.jwk;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['ENC-01.enc', { jwk: walletKey.jwk, enc: 'A192GCM' }],
      ['ENC-01.alg', { jwk: { ...walletKey.jwk, alg: 'RSA-OAEP-256' }, enc: 'A128GCM' }],
      ['ENC-01.jwk_alg', { jwk: noAlg, enc: 'A128GCM' }],
      ['ENC-01.zip', { jwk: walletKey.jwk, enc: 'A128GCM', zip: 'GZIP' }],
      ['ENC-01.key', { jwk: { ...walletKey.jwk, x: 'AAAA' }, enc: 'A128GCM' }],
      ['ENC-01.private', { jwk: { ...walletKey.jwk, d: 'AAAA' }, enc: 'A128GCM' }],
      ['ENC-01.malformed', { enc: 'A128GCM' }],
    ];
    for (const [id, params] of cases) {
      const wallet = await authorizedWallet(server);
      const body = { ...(await validCredentialBody(server)), credential_response_encryption: params };
      await expectError(await send(wallet, await encryptRequest(body, issuerKey())), id, wallet.offer.session_id);
    }
    const wallet = await authorizedWallet(server);
    const plain = {
      ...(await validCredentialBody(server)),
      credential_response_encryption: { jwk: walletKey.jwk, enc: 'A128GCM' },
    };
    await expectError(await credentialRequest(server, wallet, plain), 'ENC-03', wallet.offer.session_id);
  });

  it('each fault of the request JWE gets invalid_encryption_parameters and its diagnostic', async () => {
    const stranger = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
    const strangerJwk = { ...(await exportJWK(stranger.publicKey)), kid: issuerKey().kid };
    const cases: Array<[string, (body: unknown) => Promise<string>]> = [
      ['ENC-04.kid', (body) => encryptRequest(body, { ...issuerKey(), kid: 'not-a-key' })],
      ['ENC-04.enc', (body) => encryptRequest(body, issuerKey(), { enc: 'A192GCM' })],
      ['ENC-04.decrypt', (body) => encryptRequest(body, strangerJwk)],
      ['ENC-04.malformed', async () => 'not.a.jwe'],
    ];
    for (const [id, build] of cases) {
      const wallet = await authorizedWallet(server);
      await expectError(await send(wallet, await build(await validCredentialBody(server))), id, wallet.offer.session_id);
    }
  });

  it('require_encryption: the session metadata says encryption_required; plaintext and a missing response key are refused', async () => {
    const wallet = await authorizedWallet(server, { require_encryption: true });
    const issuerId = wallet.offer.credential_offer.credential_issuer as string;
    assert.notEqual(issuerId, server.issuer, 'the session publishes its own metadata');
    const url = new URL(issuerId);
    const sessionMetadata = (await (
      await fetch(`${url.origin}/.well-known/openid-credential-issuer${url.pathname}`)
    ).json()) as Metadata;
    assert.equal(sessionMetadata.credential_request_encryption.encryption_required, true);
    assert.equal(sessionMetadata.credential_response_encryption.encryption_required, true);
    const target = { issuer: issuerId };

    const plain = await credentialRequest(target, wallet, await validCredentialBody(target));
    await expectError(plain, 'ENC-04.required', wallet.offer.session_id);
    const noResponseKey = await credentialRequest(
      target,
      wallet,
      await encryptRequest(await validCredentialBody(target), issuerKey()),
      { 'content-type': 'application/jwt' },
    );
    await expectError(noResponseKey, 'ENC-02', wallet.offer.session_id);

    const walletKey = await walletEncryptionKey();
    const body = {
      ...(await validCredentialBody(target)),
      credential_response_encryption: { jwk: walletKey.jwk, enc: 'A128GCM' },
    };
    const ok = await credentialRequest(target, wallet, await encryptRequest(body, issuerKey()), {
      'content-type': 'application/jwt',
    });
    assert.equal(ok.status, 200);
    const { plaintext } = await compactDecrypt(await ok.text(), walletKey.privateKey);
    assert.ok((JSON.parse(new TextDecoder().decode(plaintext)) as { credentials: unknown[] }).credentials.length === 1);
  });

  it('Section 9.1: deferred responses (202 and 200) are encrypted to the key of each deferred request', async () => {
    const wallet = await authorizedWallet(server, { credential_configuration_ids: [`${PID_SD_JWT}_deferred`] });
    const first = await walletEncryptionKey();
    const body = {
      ...(await validCredentialBody(server, `${PID_SD_JWT}_deferred`)),
      credential_response_encryption: { jwk: first.jwk, enc: 'A128GCM' },
    };
    const accepted = await send(wallet, await encryptRequest(body, issuerKey()));
    assert.equal(accepted.status, 202);
    const { transaction_id: transactionId } = JSON.parse(
      new TextDecoder().decode((await compactDecrypt(await accepted.text(), first.privateKey)).plaintext),
    ) as { transaction_id: string };

    const supplied = await supplyClaimsApi(server, wallet.offer, {
      credential_configuration_id: `${PID_SD_JWT}_deferred`,
      claims: {
        given_name: 'Ada',
        family_name: 'Lovelace',
        birthdate: '1815-12-10',
        nationalities: ['GB'],
        issuing_authority: 'GB',
        issuing_country: 'GB',
      },
    });
    assert.equal(supplied.status, 200, await supplied.clone().text());
    const second = await walletEncryptionKey();
    const poll = await encryptRequest(
      { transaction_id: transactionId, credential_response_encryption: { jwk: second.jwk, enc: 'A256GCM' } },
      issuerKey(),
    );
    const ready = await resourceRequest(server, '/deferred_credential', wallet, poll, { 'content-type': 'application/jwt' });
    assert.equal(ready.status, 200);
    const { plaintext } = await compactDecrypt(await ready.text(), second.privateKey);
    const response = JSON.parse(new TextDecoder().decode(plaintext)) as { credentials: Array<{ credential: string }> };
    const verified = await verifySdJwtVc(response.credentials[0]!.credential, caPem);
    assert.equal(verified.claims.family_name, 'Lovelace');
  });
});
