// The authorization code flow end to end with the independent @openid4vc client against a real
// server: PAR + PKCE + DPoP, auto approval, wallet attestation, authorization_details with
// credential_identifier, batch, refresh followed by another credential. Credentials are verified
// independently (test/support/verify-credential.ts, not the minting code).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { authCodeWallet, openAuthorization } from '../support/auth-code-wallet.ts';
import { createOffer, DIPLOMA, PID_SD_JWT, sessionRecords } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';

const CLIENT_ID = 'https://wallet.example/instances/7';

describe('authorization code flow with the @openid4vc client', () => {
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
  const walletAttestation = async (wallet_instance_jwk: JWK) =>
    (await post('/test-attester/wallet-attestation', { client_id: CLIENT_ID, wallet_instance_jwk, wallet_name: 'Test Wallet' }))
      .wallet_attestation!;

  async function authorize(
    wallet: Awaited<ReturnType<typeof authCodeWallet>>,
    offerLink: string,
    extra: Parameters<Awaited<ReturnType<typeof authCodeWallet>>['start']>[2] = {},
  ) {
    const { offer, issuerMetadata } = await wallet.resolve(offerLink);
    assert.equal(issuerMetadata.originalDraftVersion, 'V1');
    const started = await wallet.start(offer, issuerMetadata, extra);
    assert.match(
      started.authorizationRequestUrl,
      /request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3A/,
      'AUTH-01: only request_uri and client_id in the front channel',
    );
    const res = await openAuthorization(started.authorizationRequestUrl);
    assert.equal(res.status, 303, 'AUTH-04: 303 redirect');
    const response = wallet.parseRedirect(res.headers.get('location')!, issuerMetadata);
    assert.ok('code' in response && response.code, JSON.stringify(response));
    return { offer, issuerMetadata, code: response.code!, codeVerifier: started.codeVerifier };
  }

  it('PAR + PKCE + DPoP, auto approval, scope: token, refresh token, credential verified; refresh then another credential', async () => {
    const created = await createOffer(server, {
      credential_configuration_ids: [PID_SD_JWT],
      grants: { authorization_code: { approval: 'auto' } },
    });
    assert.ok(
      (created.credential_offer.grants as Record<string, { issuer_state?: string }>).authorization_code?.issuer_state,
      'the offer carries issuer_state',
    );
    const wallet = await authCodeWallet({ clientId: CLIENT_ID });
    const { offer, issuerMetadata, code, codeVerifier } = await authorize(wallet, created.offer_link, {
      scope: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
    });
    const tokens = await wallet.exchange(offer, issuerMetadata, code, codeVerifier);
    assert.equal(tokens.token_type, 'DPoP');
    assert.ok(tokens.refresh_token, 'H-13: a refresh token');
    assert.equal(tokens.authorization_details, undefined, 'scope-only requests get no credential_identifiers');

    const first = await wallet.credential(issuerMetadata, tokens.access_token, { configurationId: PID_SD_JWT });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    const verified = await verifySdJwtVc(first.body.credentials![0]!.credential, caPem);
    assert.equal(verified.holderJkt, await calculateJwkThumbprint(first.holderKeys[0]!.publicJwk));
    assert.equal(verified.claims.family_name, 'Mustermann');

    const refreshed = await wallet.refresh(issuerMetadata, tokens.refresh_token!);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, 'TOK-20: rotated');
    const second = await wallet.credential(issuerMetadata, refreshed.access_token, { configurationId: PID_SD_JWT });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    await verifySdJwtVc(second.body.credentials![0]!.credential, caPem);

    const events = (await server.store.events.list(created.session_id)).map((e) => e.type).reverse();
    for (const step of [
      'par_received',
      'authorization_started',
      'code_issued',
      'token_exchanged',
      'token_refreshed',
      'credential_issued',
    ])
      assert.ok(events.includes(step), `event ${step} in ${events.join(', ')}`);
  });

  it('wallet attestation at PAR and /token, authorization_details with credential_identifier, batch of 3', async () => {
    const created = await createOffer(server, {
      credential_configuration_ids: [PID_SD_JWT, DIPLOMA],
      require_wallet_attestation: true,
      grants: { authorization_code: { approval: 'auto' } },
    });
    const wallet = await authCodeWallet({ walletAttestation: { obtain: walletAttestation } });
    const details = [{ type: 'openid_credential', credential_configuration_id: PID_SD_JWT }];
    const { offer, issuerMetadata, code, codeVerifier } = await authorize(wallet, created.offer_link, {
      authorizationDetails: details,
    });
    const as = issuerMetadata.authorizationServers[0]!;
    assert.deepEqual(
      as.token_endpoint_auth_methods_supported,
      ['attest_jwt_client_auth'],
      'metadata claims no anonymous access where attestation is demanded',
    );
    const tokens = await wallet.exchange(offer, issuerMetadata, code, codeVerifier);
    const granted = tokens.authorization_details as Array<{
      credential_configuration_id: string;
      credential_identifiers: string[];
    }>;
    assert.equal(granted.length, 1, 'TOK-18');
    assert.equal(granted[0]!.credential_configuration_id, PID_SD_JWT);
    const identifier = granted[0]!.credential_identifiers[0]!;

    const byConfiguration = await wallet.credential(issuerMetadata, tokens.access_token, { configurationId: PID_SD_JWT });
    assert.equal(byConfiguration.status, 400);
    assert.equal(byConfiguration.body.error, 'invalid_credential_request', 'CRED-11: credential_identifier required');
    const unknown = await wallet.credential(issuerMetadata, tokens.access_token, {
      configurationId: PID_SD_JWT,
      credentialIdentifier: 'not-issued',
    });
    assert.equal(unknown.body.error, 'unknown_credential_identifier');
    const batch = await wallet.credential(
      issuerMetadata,
      tokens.access_token,
      { configurationId: PID_SD_JWT, credentialIdentifier: identifier },
      3,
    );
    assert.equal(batch.status, 200, JSON.stringify(batch.body));
    assert.equal(batch.body.credentials!.length, 3);
    const bound = await Promise.all(
      batch.body.credentials!.map(async (c) => (await verifySdJwtVc(c.credential, caPem)).holderJkt),
    );
    assert.deepEqual(bound.sort(), (await Promise.all(batch.holderKeys.map((k) => calculateJwkThumbprint(k.publicJwk)))).sort());

    // WA-13: the refreshed family stays with this client instance; identifiers are issued anew.
    const refreshed = await wallet.refresh(issuerMetadata, tokens.refresh_token!);
    const again = (refreshed.authorization_details as Array<{ credential_identifiers: string[] }>)[0]!.credential_identifiers[0]!;
    const after = await wallet.credential(issuerMetadata, refreshed.access_token, {
      configurationId: PID_SD_JWT,
      credentialIdentifier: again,
    });
    assert.equal(after.status, 200, JSON.stringify(after.body));
    const checks = await sessionRecords(server, created.session_id, 'check');
    assert.ok(
      checks.some((c) => c.findings.some((f) => f.rule === 'WA-13' && f.outcome === 'pass')),
      'WA-13 checked',
    );
  });

  it('HAIP profile (DPoP nonces, wallet and key attestation, ES256): jwt proofs with key_attestation after the code flow', async () => {
    const created = await createOffer(server, {
      profile: 'haip-1.0',
      credential_configuration_ids: [PID_SD_JWT],
      require_key_attestation: { key_storage: ['iso_18045_high'] },
      require_wallet_attestation: true,
      grants: { authorization_code: { approval: 'auto' } },
    });
    const wallet = await authCodeWallet({ walletAttestation: { obtain: walletAttestation } });
    const { offer, issuerMetadata, code, codeVerifier } = await authorize(wallet, created.offer_link, {
      scope: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
    });
    const tokens = await wallet.exchange(offer, issuerMetadata, code, codeVerifier);
    const keyAttestation = async (attested_keys: JWK[], nonce: string) =>
      (
        await post('/test-attester/key-attestation', {
          attested_keys,
          nonce,
          key_storage: ['iso_18045_high'],
          user_authentication: ['iso_18045_moderate'],
        })
      ).key_attestation!;
    const issued = await wallet.credential(
      issuerMetadata,
      tokens.access_token,
      { configurationId: PID_SD_JWT, keyAttestation },
      2,
    );
    assert.equal(issued.status, 200, JSON.stringify(issued.body));
    assert.equal(issued.body.credentials!.length, 2);
    const bound = await Promise.all(
      issued.body.credentials!.map(async (c) => (await verifySdJwtVc(c.credential, caPem)).holderJkt),
    );
    assert.deepEqual(bound.sort(), (await Promise.all(issued.holderKeys.map((k) => calculateJwkThumbprint(k.publicJwk)))).sort());
  });

  it('deferred issuance stays collectable with a refreshed access token (same grant family, DEF-08)', async () => {
    const deferredId = `${PID_SD_JWT}_deferred`;
    const created = await createOffer(server, {
      credential_configuration_ids: [deferredId],
      deferred: { ready_after_seconds: 1 },
      grants: { authorization_code: { approval: 'auto' } },
    });
    const wallet = await authCodeWallet({ clientId: CLIENT_ID });
    const { offer, issuerMetadata, code, codeVerifier } = await authorize(wallet, created.offer_link, {
      authorizationDetails: [{ type: 'openid_credential', credential_configuration_id: deferredId }],
    });
    const tokens = await wallet.exchange(offer, issuerMetadata, code, codeVerifier);
    const identifier = (tokens.authorization_details as Array<{ credential_identifiers: string[] }>)[0]!
      .credential_identifiers[0]!;
    const accepted = await wallet.credential(issuerMetadata, tokens.access_token, {
      configurationId: deferredId,
      credentialIdentifier: identifier,
    });
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const refreshed = await wallet.refresh(issuerMetadata, tokens.refresh_token!);
    const polled = await wallet.deferred(issuerMetadata, refreshed.access_token, accepted.body.transaction_id!);
    assert.equal(polled.status, 200, JSON.stringify(polled.body));
    await verifySdJwtVc(polled.body.credentials![0]!.credential, caPem);
  });
});
