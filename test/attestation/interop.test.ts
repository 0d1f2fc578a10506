// Interoperability with the independent @openid4vc libraries (0.4.6): attestations they create,
// signed by certificates chaining to a CA made here, pass our checks; and what our test attester
// issues parses with their schemas. Known dialect: they write key attestations with the pre-1.0
// typ keyattestation+jwt, which we accept with a KA-01 warning, or reject in strict mode.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  type AuthorizationServerMetadata,
  clientAuthenticationClientAttestationJwt,
  decodeJwt,
  type Jwk,
  type SignJwtCallback,
  type VerifyJwtCallback,
  verifyClientAttestationJwt,
} from '@openid4vc/oauth2';
import { Openid4vciWalletProvider, parseKeyAttestationJwt } from '@openid4vc/openid4vci';
import { type CompactJWSHeaderParameters, CompactSign, calculateJwkThumbprint, compactVerify, exportJWK, importX509 } from 'jose';
import { loadOrCreateTestAttester } from '../../src/attestation/test-attester.ts';
import { checkKeyAttestation, proofKeyAttested } from '../../src/checks/key-attestation.ts';
import { checkClientAttestation } from '../../src/checks/wallet-attestation.ts';
import { scratchStore } from '../support/server.ts';
import { anchorOf, issue, type KeyPair, keyPair, rootCa } from './pki.ts';

const AS = 'https://issuer.example';
const CLIENT_ID = 'https://wallet.example/client';
const nowMs = Date.now(); // the library stamps iat/exp from the real clock

const attesterRoot = await rootCa('Interop Attester Root', { nowMs });
const attester = await issue('Interop Attester', attesterRoot, { nowMs });
const holder = await keyPair();
const instance = await keyPair();
const anchors = [
  anchorOf(attesterRoot, 'key_attestation', 'Interop Attester Root'),
  anchorOf(attesterRoot, 'wallet_attestation', 'Interop Attester Root'),
];

// The library hands us a signer description; x5c signers are the attester, jwk signers a wallet key.
const keysByThumbprint = new Map<string, KeyPair>([[await calculateJwkThumbprint(instance.publicJwk), instance]]);
const signJwt: SignJwtCallback = async (signer, { header, payload }) => {
  const key =
    signer.method === 'x5c'
      ? attester
      : signer.method === 'jwk'
        ? keysByThumbprint.get(await calculateJwkThumbprint(signer.publicJwk as never))
        : undefined;
  if (!key) throw new Error(`interop test cannot sign for ${signer.method}`);
  const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as CompactJWSHeaderParameters)
    .sign(key.privateKey);
  return { jwt, signerJwk: key.publicJwk as Jwk };
};
const provider = new Openid4vciWalletProvider({ callbacks: { signJwt } });
const x5cSigner = { method: 'x5c' as const, alg: 'ES256', x5c: [attester.b64] };

const keyExpect = { algs: ['ES256'], nowMs, anchors, usedWith: 'jwt' as const, nonceRequired: true, strict: false };

describe('@openid4vc key attestations', () => {
  const libraryKeyAttestation = () =>
    provider.createKeyAttestationJwt({
      signer: x5cSigner,
      attestedKeys: [holder.publicJwk as Jwk],
      keyStorage: ['iso_18045_high'],
      userAuthentication: ['iso_18045_moderate'],
      nonce: 'c-nonce-interop',
      expiresAt: new Date(nowMs + 3600_000),
      use: 'proof_type.jwt',
    });

  it('are accepted with the KA-01 legacy typ warning naming key-attestation+jwt', async () => {
    const jwt = await libraryKeyAttestation();
    assert.equal(decodeJwt({ jwt }).header.typ, 'keyattestation+jwt');
    const result = await checkKeyAttestation(jwt, { ...keyExpect, accepted: { key_storage: ['iso_18045_high'] } });
    assert.ok(
      result.ok,
      result.ok ? '' : `${result.failure.diagnostic}: ${result.failure.detail}\n${result.chainSteps.join('\n')}`,
    );
    if (!result.ok) return;
    assert.deepEqual(
      result.findings.filter((f) => f.outcome === 'warn').map((f) => f.diagnostic),
      ['KA-01.legacy_typ'],
    );
    assert.match(result.findings.filter((f) => f.outcome === 'warn')[0]!.detail!, /"key-attestation\+jwt"/);
    assert.equal(result.value.nonce, 'c-nonce-interop');
    assert.equal(proofKeyAttested(await calculateJwkThumbprint(holder.publicJwk), result.value).outcome, 'pass');
  });

  it('are rejected with KA-01.legacy_typ when the offer is strict', async () => {
    const result = await checkKeyAttestation(await libraryKeyAttestation(), { ...keyExpect, strict: true });
    assert.equal(result.ok ? null : result.failure.diagnostic, 'KA-01.legacy_typ');
  });
});

describe('@openid4vc wallet attestations and PoPs', () => {
  async function libraryHeaders() {
    const attestation = await provider.createWalletAttestationJwt({
      signer: x5cSigner,
      issuer: 'https://wallet-provider.example',
      clientId: CLIENT_ID,
      confirmation: { jwk: instance.publicJwk as Jwk },
      expiresAt: new Date(nowMs + 3600_000),
      walletName: 'Interop Wallet',
      walletLink: 'https://wallet.example',
    });
    // The PoP is made the way the library's token request makes it: by its client authentication callback.
    type Options = Parameters<ReturnType<typeof clientAuthenticationClientAttestationJwt>>[0];
    const headers = new Headers();
    await clientAuthenticationClientAttestationJwt({
      clientAttestationJwt: attestation,
      callbacks: { signJwt, generateRandom: (n) => new Uint8Array(randomBytes(n)) },
    })({
      headers,
      authorizationServerMetadata: { issuer: AS, token_endpoint: `${AS}/token` } as AuthorizationServerMetadata,
      url: `${AS}/token`,
      method: 'POST',
      contentType: 'application/x-www-form-urlencoded' as Options['contentType'],
      body: {},
    });
    return { attestation: [headers.get('OAuth-Client-Attestation')!], pop: [headers.get('OAuth-Client-Attestation-PoP')!] };
  }
  const expect = { asIssuer: AS, nowMs, anchors, strict: true, maxAgeSeconds: 300 };

  it('are accepted, even in strict mode (ABCA -07 shapes, iss in both JWTs)', async () => {
    const result = await checkClientAttestation(await libraryHeaders(), { ...expect, clientId: CLIENT_ID });
    assert.ok(
      result.ok,
      result.ok ? '' : `${result.failure.diagnostic}: ${result.failure.detail}\n${result.chainSteps.join('\n')}`,
    );
    if (!result.ok) return;
    assert.equal(result.value.clientId, CLIENT_ID);
    assert.deepEqual(
      result.findings.filter((f) => f.outcome === 'warn'),
      [],
    );
    assert.equal(result.value.attestation.payload.wallet_name, 'Interop Wallet');
    assert.equal(typeof result.value.pop.payload.exp, 'number', 'the library adds exp to the PoP (not required by -07)');
  });

  it('a PoP meant for another authorization server is refused with WA-05.aud', async () => {
    const result = await checkClientAttestation(await libraryHeaders(), { ...expect, asIssuer: 'https://other-issuer.example' });
    assert.equal(result.ok ? null : result.failure.diagnostic, 'WA-05.aud');
  });
});

describe('our test attester, read by @openid4vc', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oid4vci-interop-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  // The library leaves signature checks to us; an x5c signer is verified with its leaf certificate.
  const verifyJwt: VerifyJwtCallback = async (signer, { compact }) => {
    if (signer.method !== 'x5c') return { verified: false };
    const pem = `-----BEGIN CERTIFICATE-----\n${signer.x5c[0]}\n-----END CERTIFICATE-----`;
    const key = await importX509(pem, signer.alg, { extractable: true });
    await compactVerify(compact, key);
    return { verified: true, signerJwk: (await exportJWK(key)) as Jwk };
  };

  it('its wallet attestation verifies with the library', async () => {
    const scratch = await scratchStore();
    const testAttester = await loadOrCreateTestAttester(scratch.store.keys, { now: Date.now });
    const jwt = await testAttester.issueWalletAttestation({
      client_id: CLIENT_ID,
      wallet_instance_jwk: instance.publicJwk,
      wallet_name: 'W',
    });
    const verified = await verifyClientAttestationJwt({ clientAttestationJwt: jwt, callbacks: { verifyJwt } });
    assert.equal(verified.payload.sub, CLIENT_ID);
    assert.equal(verified.signer.method, 'x5c');
    await scratch.close();
  });

  it('its key attestation parses with the library schema for the jwt and attestation proof types', async () => {
    const scratch = await scratchStore();
    const testAttester = await loadOrCreateTestAttester(scratch.store.keys, { now: Date.now });
    const jwt = await testAttester.issueKeyAttestation({
      attested_keys: [holder.publicJwk],
      nonce: 'n-1',
      key_storage: ['iso_18045_high'],
      expiresInSeconds: 600,
    });
    for (const use of ['proof_type.jwt', 'proof_type.attestation'] as const) {
      const parsed = parseKeyAttestationJwt({ keyAttestationJwt: jwt, use });
      assert.equal(parsed.header.typ, 'key-attestation+jwt');
      assert.deepEqual(parsed.payload.attested_keys, [holder.publicJwk]);
    }
    await scratch.close();
  });
});
