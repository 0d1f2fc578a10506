// Key and wallet attestations end to end: the independent @openid4vc client against a real server,
// with attestations from the built-in test attester and from the library itself.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Jwk, SignJwtCallback } from '@openid4vc/oauth2';
import { Openid4vciWalletProvider } from '@openid4vc/openid4vci';
import { type CompactJWSHeaderParameters, CompactSign, calculateJwkThumbprint, type JWK } from 'jose';
import { issue, rootCa } from '../attestation/pki.ts';
import { createOffer, lastError, PID_SD_JWT, sessionLog, sessionRecords } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';

type CredentialsBody = { credentials: Array<{ credential: string }> };
const CLIENT_ID = 'https://wallet.example/instances/42';

describe('attestations with the @openid4vc client', () => {
  let server: TestServer;
  let caPem: string;
  before(async () => {
    server = await startServer();
    caPem = await playgroundCa(server.issuer);
  });
  after(() => server.close());

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${server.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Record<string, string>;
  };
  const testAttesterKeyAttestation = async (attested_keys: JWK[], nonce: string) =>
    (
      await post('/test-attester/key-attestation', {
        attested_keys,
        nonce,
        key_storage: ['iso_18045_high'],
        user_authentication: ['iso_18045_moderate'],
      })
    ).key_attestation!;
  const testAttesterWalletAttestation = async (wallet_instance_jwk: JWK) =>
    (await post('/test-attester/wallet-attestation', { client_id: CLIENT_ID, wallet_instance_jwk, wallet_name: 'Test Wallet' }))
      .wallet_attestation!;

  async function expectCredentialsFor(run: Awaited<ReturnType<typeof runPreAuthorizedFlow>>, count: number) {
    assert.equal(run.credentialResponses[0]!.status, 200, JSON.stringify(run.credentialResponses[0]!.body));
    const { credentials } = run.credentialResponses[0]!.body as CredentialsBody;
    assert.equal(credentials.length, count);
    const bound = await Promise.all(credentials.map(async (c) => (await verifySdJwtVc(c.credential, caPem)).holderJkt));
    const proven = await Promise.all(run.holderKeys.map((k) => calculateJwkThumbprint(k.publicJwk)));
    assert.deepEqual(bound.sort(), proven.sort(), 'KA-08: one credential per attested key');
  }

  it('jwt proofs with key_attestation headers and a wallet attestation at /token', async () => {
    const offer = await createOffer(server, {
      require_key_attestation: { key_storage: ['iso_18045_high'] },
      require_wallet_attestation: true,
    });
    const run = await runPreAuthorizedFlow({
      offerUri: offer.offer_link,
      batch: 2,
      keyAttestation: { form: 'jwt', obtain: testAttesterKeyAttestation },
      walletAttestation: { obtain: testAttesterWalletAttestation },
    });
    await expectCredentialsFor(run, 2);
    const checks = await sessionRecords(server, offer.session_id, 'check');
    const client = checks.find((c) => c.subject === 'Wallet attestation')!;
    assert.equal(client.facts!.client_id, CLIENT_ID);
    assert.match(String(client.facts!.test_trust), /TEST TRUST/, 'test trust is labelled');
    assert.ok(client.findings.every((f) => f.outcome === 'pass') && client.findings.some((f) => f.rule === 'WA-04'));
    const keyAttestation = checks.find((c) => c.subject === 'Key attestation of proof 0')!;
    assert.ok(keyAttestation.findings.some((f) => f.rule === 'KA-02' && f.outcome === 'pass'));
    const md = (await (
      await fetch(`${server.origin}/.well-known/openid-credential-issuer/s/${offer.session_id}`)
    ).json()) as Record<string, any>;
    assert.deepEqual(md.credential_configurations_supported[PID_SD_JWT].proof_types_supported.jwt.key_attestations_required, {
      key_storage: ['iso_18045_high'],
    });
  });

  it('the attestation proof type: one attestation, a credential per attested key', async () => {
    const offer = await createOffer(server, { require_key_attestation: true });
    const run = await runPreAuthorizedFlow({
      offerUri: offer.offer_link,
      batch: 3,
      keyAttestation: { form: 'attestation', obtain: testAttesterKeyAttestation },
    });
    await expectCredentialsFor(run, 3);
  });

  it('a library-made key attestation (pre-1.0 typ) chains to an offer trust anchor: warning, or rejection when strict', async () => {
    const nowMs = Date.now();
    const root = await rootCa('Wallet Vendor Root', { nowMs });
    const signingCert = await issue('Wallet Vendor Key Attester', root, { nowMs });
    const signJwt: SignJwtCallback = async (_signer, { header, payload }) => {
      const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
        .setProtectedHeader(header as CompactJWSHeaderParameters)
        .sign(signingCert.privateKey);
      return { jwt, signerJwk: signingCert.publicJwk as Jwk };
    };
    const provider = new Openid4vciWalletProvider({ callbacks: { signJwt } });
    const libraryKeyAttestation = (attestedKeys: JWK[], nonce: string) =>
      provider.createKeyAttestationJwt({
        signer: { method: 'x5c', alg: 'ES256', x5c: [signingCert.b64] },
        attestedKeys: attestedKeys as Jwk[],
        keyStorage: ['iso_18045_high'],
        nonce,
        expiresAt: new Date(nowMs + 600_000),
        use: 'proof_type.jwt',
      });
    const trust_anchors = [{ kind: 'key_attestation', label: 'Wallet Vendor Root', pem: root.pem }];

    const lenient = await createOffer(server, { require_key_attestation: true, trust_anchors });
    await expectCredentialsFor(
      await runPreAuthorizedFlow({
        offerUri: lenient.offer_link,
        keyAttestation: { form: 'jwt', obtain: libraryKeyAttestation },
      }),
      1,
    );
    const warnedEntry = (await sessionLog(server, lenient.session_id)).find((e) =>
      JSON.stringify(e.records).includes('KA-01.legacy_typ'),
    );
    assert.equal(warnedEntry?.level, 'warn');
    const warned = (await sessionRecords(server, lenient.session_id, 'check')).find((c) =>
      c.findings.some((f) => f.diagnostic === 'KA-01.legacy_typ'),
    );
    assert.match(String(warned?.findings.find((f) => f.outcome === 'warn')?.detail), /key-attestation\+jwt/);

    const strict = await createOffer(server, { require_key_attestation: true, trust_anchors, strict: true });
    const refused = await runPreAuthorizedFlow({
      offerUri: strict.offer_link,
      keyAttestation: { form: 'jwt', obtain: libraryKeyAttestation },
    });
    assert.equal(refused.credentialResponses[0]!.status, 400);
    assert.equal((refused.credentialResponses[0]!.body as { error: string }).error, 'invalid_proof');
    assert.equal((await lastError(server, strict.session_id))!.diagnostic, 'KA-01.legacy_typ');
  });
});
