// The built-in test attester on a real database: its CA persists, x5c follows HAIP, and the key and
// wallet attestations it issues pass checkKeyAttestation and checkClientAttestation.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import {
  keyAttestationRequestSchema,
  loadOrCreateTestAttester,
  TEST_ATTESTER_LABEL,
  walletAttestationRequestSchema,
} from '../../src/attestation/test-attester.ts';
import { checkKeyAttestation } from '../../src/checks/key-attestation.ts';
import { checkClientAttestation, POP_TYP } from '../../src/checks/wallet-attestation.ts';
import { loadConfig } from '../../src/config.ts';
import { openTestStore, scratchStore } from '../support/server.ts';
import { keyPair, sign } from './pki.ts';

const scratch = await scratchStore();
const now = () => 1_750_000_000_000;
const attester = await loadOrCreateTestAttester(scratch.store.keys, { now, issuer: 'https://issuer.example/test-attester' });
const holder = await keyPair();
const instance = await keyPair();

describe('test attester', () => {
  after(() => scratch.close());

  it('keeps its CA and signing certificate across restarts', async () => {
    const reopened = await openTestStore(loadConfig({ LOG_LEVEL: 'silent', ...scratch.env }));
    const again = await loadOrCreateTestAttester(reopened.keys, { now });
    assert.equal(again.caPem, attester.caPem);
    assert.deepEqual(again.x5c, attester.x5c);
    await reopened.close();
  });

  it('x5c holds one CA-issued signing certificate, never the self-signed CA', async () => {
    const ca = new x509.X509Certificate(attester.caPem);
    const leaf = new x509.X509Certificate(attester.x5c[0]!);
    assert.equal(attester.x5c.length, 1);
    assert.equal(await ca.isSelfSigned(), true);
    assert.equal(await leaf.isSelfSigned(), false);
    assert.equal(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true }), true);
    assert.match(ca.subject, /TEST TRUST ONLY/);
  });

  it('offers its CA as a builtin test anchor of both kinds', () => {
    assert.deepEqual(
      attester.anchors.map((a) => [a.kind, a.source, a.test, a.label]),
      [
        ['key_attestation', 'builtin', true, TEST_ATTESTER_LABEL],
        ['wallet_attestation', 'builtin', true, TEST_ATTESTER_LABEL],
      ],
    );
  });

  it('issues a key attestation (OID4VCI Appendix D.1) that checkKeyAttestation accepts as test trust', async () => {
    const input = keyAttestationRequestSchema.parse({
      attested_keys: [holder.publicJwk],
      key_storage: ['iso_18045_high'],
      user_authentication: ['iso_18045_moderate'],
      nonce: 'c-nonce-1',
      expires_in: 600,
    });
    const jwt = await attester.issueKeyAttestation(input);
    assert.deepEqual(decodeProtectedHeader(jwt), { typ: 'key-attestation+jwt', alg: 'ES256', x5c: attester.x5c });
    const payload = decodeJwt(jwt);
    assert.equal(payload.exp! - payload.iat!, 600);
    assert.equal(payload.iss, 'https://issuer.example/test-attester');

    const expect = {
      algs: ['ES256'],
      nowMs: now(),
      usedWith: 'jwt' as const,
      nonceRequired: true,
      strict: true,
      accepted: { key_storage: ['iso_18045_high'] },
    };
    const result = await checkKeyAttestation(jwt, { ...expect, anchors: attester.anchors });
    assert.ok(result.ok, result.ok ? '' : `${result.failure.diagnostic}: ${result.failure.detail}`);
    if (!result.ok) return;
    assert.equal(result.value.nonce, 'c-nonce-1');
    assert.deepEqual(
      result.findings.filter((f) => f.outcome === 'warn'),
      [],
    );
    assert.match(result.chainSteps.join('\n'), /chained to anchor 'Playground test attester CA' \(builtin, TEST TRUST\)/);

    const switchedOff = await checkKeyAttestation(jwt, { ...expect, anchors: [] });
    assert.equal(
      switchedOff.ok ? null : switchedOff.failure.diagnostic,
      'KA-02.untrusted',
      'without the builtin anchors the attester is not trusted',
    );
  });

  it('issues a wallet attestation (ABCA -07, OID4VCI Appendix E) that checkClientAttestation accepts', async () => {
    const input = walletAttestationRequestSchema.parse({
      client_id: 'wallet-client',
      wallet_instance_jwk: instance.publicJwk,
      wallet_name: 'My Wallet',
      wallet_link: 'https://wallet.example',
    });
    const jwt = await attester.issueWalletAttestation(input);
    const payload = decodeJwt(jwt);
    assert.deepEqual(
      [payload.iss, payload.sub, payload.wallet_name, payload.exp! - payload.iat!],
      ['https://issuer.example/test-attester', 'wallet-client', 'My Wallet', 86400],
    );
    assert.deepEqual(payload.cnf, { jwk: instance.publicJwk });
    const nowS = now() / 1000;
    const pop = await sign(
      { typ: POP_TYP, alg: 'ES256' },
      { iss: 'wallet-client', aud: 'https://issuer.example', jti: 'j1', iat: nowS },
      instance.privateKey,
    );
    const result = await checkClientAttestation(
      { attestation: [jwt], pop: [pop] },
      {
        asIssuer: 'https://issuer.example',
        nowMs: now(),
        anchors: attester.anchors,
        clientId: 'wallet-client',
        strict: true,
        maxAgeSeconds: 300,
      },
    );
    assert.ok(result.ok, result.ok ? '' : `${result.failure.diagnostic}: ${result.failure.detail}`);
    assert.equal(result.ok && result.value.anchor.test, true);
  });

  it('request schemas refuse private keys, empty key lists and unknown members', () => {
    assert.equal(keyAttestationRequestSchema.safeParse({ attested_keys: [holder.privateJwk] }).success, false);
    assert.equal(keyAttestationRequestSchema.safeParse({ attested_keys: [] }).success, false);
    assert.equal(keyAttestationRequestSchema.safeParse({ attested_keys: [holder.publicJwk], extra: 1 }).success, false);
    assert.equal(
      walletAttestationRequestSchema.safeParse({ client_id: 'c', wallet_instance_jwk: instance.privateJwk }).success,
      false,
    );
    assert.equal(
      walletAttestationRequestSchema.safeParse({ client_id: '', wallet_instance_jwk: instance.publicJwk }).success,
      false,
    );
  });
});
