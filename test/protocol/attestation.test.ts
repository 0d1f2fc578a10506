// Attestation rejections at the endpoints, with raw requests (the checks' own tables are in test/attestation/).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type JWK, SignJWT } from 'jose';
import {
  cNonce,
  codeOf,
  createOffer,
  credentialRequest,
  dpopProof,
  type Key,
  keyProof,
  lastError,
  newKey,
  PID_SD_JWT,
  PRE_AUTH,
  tokenRequest,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

const CLIENT_ID = 'wallet-instance-7';

describe('attestations at the endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const attester = (path: string, body: unknown) =>
    fetch(`${server.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((r) => r.json() as Promise<Record<string, string>>);

  async function tokenFor(
    offerBody: Record<string, unknown>,
    headers: Record<string, string> = {},
    form: Record<string, string> = {},
  ) {
    const offer = await createOffer(server, offerBody);
    const dpopKey = await newKey();
    const res = await tokenRequest(
      server,
      { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), ...form },
      { DPoP: await dpopProof(dpopKey, { htu: `${server.issuer}/token` }), ...headers },
    );
    return { offer, dpopKey, res };
  }

  async function expectError(res: Response, status: number, error: string, id: string, sessionId: string) {
    assert.equal(res.status, status, id);
    assert.equal(((await res.json()) as { error: string }).error, error, id);
    const entry = (await lastError(server, sessionId))!;
    assert.equal(entry.diagnostic, id);
    return entry;
  }

  describe('key attestation at /credential', () => {
    async function walletFor(demand: unknown) {
      const { offer, dpopKey, res } = await tokenFor({ require_key_attestation: demand });
      const { access_token: accessToken } = (await res.json()) as { access_token: string };
      return { offer, dpopKey, accessToken };
    }
    const proofWith = async (holder: Key, nonce: string, keyAttestation?: string) =>
      keyProof(holder, { aud: server.issuer, nonce }, keyAttestation ? { key_attestation: keyAttestation } : {});

    it('PRF-12: a required key attestation that is missing is explained with the HAIP reference', async () => {
      const wallet = await walletFor(true);
      const body = {
        credential_configuration_id: PID_SD_JWT,
        proofs: { jwt: [await proofWith(await newKey(), await cNonce(server))] },
      };
      const entry = await expectError(
        await credentialRequest(server, wallet, body),
        400,
        'invalid_proof',
        'PRF-12.missing',
        wallet.offer.session_id,
      );
      assert.equal(entry.message, 'Key attestation required but not provided: proofs.jwt[0] has no key_attestation header');
      assert.equal(entry.spec_ref, 'HAIP 1.0 Section 4.5.1 / OID4VCI 1.0 Appendix D');
      assert.match(String(entry.help), /key_attestation/);
    });

    it('PRF-11 / KA-06 / PRF-12: proof key not attested, wrong nonce, key_storage not accepted', async () => {
      const wallet = await walletFor({ key_storage: ['iso_18045_high'] });
      const sid = wallet.offer.session_id;
      const holder = await newKey();
      const other = await newKey();
      const nonce = await cNonce(server);
      const ka = async (keys: JWK[], n: string, storage = ['iso_18045_high']) =>
        (await attester('/test-attester/key-attestation', { attested_keys: keys, nonce: n, key_storage: storage }))
          .key_attestation!;
      const request = async (attestation: string) =>
        credentialRequest(server, wallet, {
          credential_configuration_id: PID_SD_JWT,
          proofs: { jwt: [await proofWith(holder, nonce, attestation)] },
        });
      await expectError(await request(await ka([other.publicJwk], nonce)), 400, 'invalid_proof', 'PRF-11.not_attested', sid);
      await expectError(await request(await ka([holder.publicJwk], 'another-nonce')), 400, 'invalid_nonce', 'KA-06.wrong', sid);
      await expectError(
        await request(await ka([holder.publicJwk], nonce, ['iso_18045_basic'])),
        400,
        'invalid_proof',
        'KA-05.key_storage',
        sid,
      );
    });

    it('KA-02: an attestation signed by an untrusted attester is refused, and the chain attempt is logged', async () => {
      const untrusting = await startServer({ env: { TEST_ATTESTER_TRUSTED: 'false' } });
      try {
        const offer = await createOffer(untrusting, { require_key_attestation: true });
        const dpopKey = await newKey();
        const token = await tokenRequest(
          untrusting,
          { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) },
          { DPoP: await dpopProof(dpopKey, { htu: `${untrusting.issuer}/token` }) },
        );
        const { access_token: accessToken } = (await token.json()) as { access_token: string };
        const holder = await newKey();
        const nonce = await cNonce(untrusting);
        const { key_attestation: attestation } = (await (
          await fetch(`${untrusting.issuer}/test-attester/key-attestation`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ attested_keys: [holder.publicJwk], nonce }),
          })
        ).json()) as { key_attestation: string };
        const proof = await keyProof(holder, { aud: untrusting.issuer, nonce }, { key_attestation: attestation });
        const res = await credentialRequest(
          untrusting,
          { dpopKey, accessToken },
          { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } },
        );
        assert.equal(res.status, 400);
        const entry = (await lastError(untrusting, offer.session_id))!;
        assert.equal(entry.diagnostic, 'KA-02.untrusted');
        assert.ok(Array.isArray(entry.facts.chain_steps) && (entry.facts.chain_steps as string[]).length > 0);
      } finally {
        await untrusting.close();
      }
    });
  });

  describe('wallet attestation at /token', () => {
    async function attestationHeaders(
      options: { popKey?: Key; aud?: string; jti?: string; clientId?: string; challenge?: string } = {},
    ) {
      const instance = await newKey();
      const { wallet_attestation: attestation } = await attester('/test-attester/wallet-attestation', {
        client_id: CLIENT_ID,
        wallet_instance_jwk: instance.publicJwk,
      });
      const pop = await new SignJWT({
        iss: options.clientId ?? CLIENT_ID,
        aud: options.aud ?? server.issuer,
        jti: options.jti ?? randomUUID(),
        ...(options.challenge ? { challenge: options.challenge } : {}),
      })
        .setProtectedHeader({ typ: 'oauth-client-attestation-pop+jwt', alg: 'ES256' })
        .setIssuedAt()
        .sign((options.popKey ?? instance).privateKey);
      return { 'OAuth-Client-Attestation': attestation!, 'OAuth-Client-Attestation-PoP': pop };
    }

    it('accepts a valid attestation and binds the token to its client_id', async () => {
      const { offer, res } = await tokenFor({ require_wallet_attestation: true }, await attestationHeaders(), {
        client_id: CLIENT_ID,
      });
      assert.equal(res.status, 200);
      assert.equal(
        (await server.store.events.list(offer.session_id)).find((e) => e.type === 'token_exchanged')!.data.client_id,
        CLIENT_ID,
      );
    });

    it('WA-14: required but missing → 401 invalid_client', async () => {
      const { offer, res } = await tokenFor({ require_wallet_attestation: true });
      await expectError(res, 401, 'invalid_client', 'WA-14.missing', offer.session_id);
    });

    it('WA-06 / WA-05 / WA-08: PoP by another key, wrong aud, sub other than client_id', async () => {
      const other = await newKey();
      let attempt = await tokenFor({ require_wallet_attestation: true }, await attestationHeaders({ popKey: other }));
      await expectError(attempt.res, 401, 'invalid_client', 'WA-06', attempt.offer.session_id);
      attempt = await tokenFor(
        { require_wallet_attestation: true },
        await attestationHeaders({ aud: 'https://elsewhere.example' }),
      );
      await expectError(attempt.res, 401, 'invalid_client', 'WA-05.aud', attempt.offer.session_id);
      attempt = await tokenFor({ require_wallet_attestation: true }, await attestationHeaders(), { client_id: 'someone-else' });
      await expectError(attempt.res, 401, 'invalid_client', 'WA-08.client_id', attempt.offer.session_id);
    });

    it('WA-09: a challenge from the challenge endpoint is accepted once; unknown or reused ones get a fresh one', async () => {
      const res = await fetch(`${server.issuer}/challenge`, { method: 'POST' });
      assert.equal(res.headers.get('cache-control'), 'no-store');
      const { attestation_challenge: challenge } = (await res.json()) as { attestation_challenge: string };
      assert.equal(
        (await tokenFor({ require_wallet_attestation: true }, await attestationHeaders({ challenge }))).res.status,
        200,
      );
      const reused = await tokenFor({ require_wallet_attestation: true }, await attestationHeaders({ challenge }));
      assert.ok(reused.res.headers.get('oauth-client-attestation-challenge'), 'a fresh challenge comes with the error');
      await expectError(reused.res, 400, 'use_attestation_challenge', 'WA-09', reused.offer.session_id);
      // WA-09: the challenge is a per-offer demand, advertised only where demanded.
      const root = (await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).json()) as Record<
        string,
        unknown
      >;
      assert.equal(root.challenge_endpoint, undefined, 'the root issuer demands no challenge, so it advertises none');
    });

    it('WA-09: an offer demanding challenges advertises challenge_endpoint and refuses a PoP without challenge', async () => {
      const demanded = await tokenFor(
        { require_wallet_attestation: true, require_attestation_challenge: true },
        await attestationHeaders(),
      );
      assert.ok(demanded.res.headers.get('oauth-client-attestation-challenge'), 'a challenge comes with the refusal');
      await expectError(demanded.res, 400, 'use_attestation_challenge', 'WA-09.missing', demanded.offer.session_id);
      const scoped = (await (
        await fetch(`${server.origin}/.well-known/oauth-authorization-server/s/${demanded.offer.session_id}`)
      ).json()) as Record<string, unknown>;
      assert.equal(scoped.challenge_endpoint, `${server.issuer}/s/${demanded.offer.session_id}/challenge`);
      const challenge = demanded.res.headers.get('oauth-client-attestation-challenge')!;
      const offer = await createOffer(server, { require_wallet_attestation: true, require_attestation_challenge: true });
      const ok = await tokenRequest(
        server,
        { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) },
        {
          DPoP: await dpopProof(await newKey(), { htu: `${server.issuer}/token` }),
          ...(await attestationHeaders({ challenge })),
        },
      );
      assert.equal(ok.status, 200, 'the challenge handed out with the refusal is accepted');
    });

    it('WA-10: an attestation older than the offer allows gets use_fresh_attestation', async () => {
      const headers = await attestationHeaders();
      // The test attester stamps iat with the current second; two seconds later it is older than one.
      await new Promise((resolve) => setTimeout(resolve, 2100));
      const old = await tokenFor({ require_wallet_attestation: true, max_attestation_age_seconds: 1 }, headers);
      await expectError(old.res, 400, 'use_fresh_attestation', 'WA-10', old.offer.session_id);
    });

    it('WA-07: a replayed PoP jti is refused', async () => {
      const headers = await attestationHeaders({ jti: randomUUID() });
      assert.equal((await tokenFor({ require_wallet_attestation: true }, headers)).res.status, 200);
      const replay = await tokenFor({ require_wallet_attestation: true }, headers);
      await expectError(replay.res, 401, 'invalid_client', 'WA-07.replay', replay.offer.session_id);
    });
  });

  describe('trust anchors and the test attester API', () => {
    it('lists, adds and removes anchors; refuses bad ones with every problem', async () => {
      const list = (await (await fetch(`${server.issuer}/api/trust-anchors`)).json()) as {
        anchors: Array<{ source: string; test: boolean }>;
      };
      assert.ok(
        list.anchors.some((a) => a.source === 'builtin' && a.test),
        'the test attester CA is listed as test trust',
      );
      const { publicJwk } = await newKey();
      const added = await fetch(`${server.issuer}/api/trust-anchors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'wallet_attestation', label: 'Vendor key', jwk: publicJwk }),
      });
      assert.equal(added.status, 201);
      const { id } = (await added.json()) as { id: string };
      assert.equal(
        (await fetch(`${server.issuer}/api/trust-anchors/${encodeURIComponent(id)}`, { method: 'DELETE' })).status,
        204,
      );
      assert.equal(
        (await fetch(`${server.issuer}/api/trust-anchors/${encodeURIComponent(id)}`, { method: 'DELETE' })).status,
        404,
      );
      const bad = await fetch(`${server.issuer}/api/trust-anchors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'nope', pem: 'not a cert' }),
      });
      assert.equal(bad.status, 400);
      const problems = ((await bad.json()) as { problems: Array<{ path: string }> }).problems.map((p) => p.path);
      assert.ok(problems.includes('kind'));
    });

    it('refuses private keys for attestation', async () => {
      const key = await newKey();
      const { exportJWK } = await import('jose');
      const res = await fetch(`${server.issuer}/test-attester/key-attestation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ attested_keys: [await exportJWK(key.privateKey)] }),
      });
      assert.equal(res.status, 400);
    });
  });
});
