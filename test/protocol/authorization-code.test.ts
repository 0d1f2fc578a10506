// Endpoint tests of the authorization code flow on a real server: every refusal of PAR, /authorize
// and the code and refresh grants, with its catalogue entry logged in the session; single use under
// concurrency (50 redemptions of one code, 50 refreshes with one token: exactly one succeeds).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import {
  CLIENT,
  codeFor,
  codeTokenRequest,
  dpopFor,
  issuerStateOf,
  openAuthorize,
  pushRequest,
  REDIRECT,
} from '../support/raw-authorization.ts';
import {
  ath,
  codeOf,
  createOffer,
  credentialRequest,
  dpopProof,
  lastError,
  newKey,
  PID_SD_JWT,
  PRE_AUTH,
  tokenRequest,
  validCredentialBody,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('authorization code flow endpoints', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const autoOffer = (extra: Record<string, unknown> = {}) =>
    createOffer(server, { grants: { authorization_code: { approval: 'auto' } }, ...extra });

  async function expectError(res: Response, status: number, error: string, id: string, sessionId: string | null) {
    const text = await res.text();
    assert.equal(res.status, status, `${id}: ${text}`);
    assert.equal((JSON.parse(text) as { error: string }).error, error, id);
    const logged = await lastError(server, sessionId);
    assert.equal(logged?.diagnostic, id, `${id} logged with its explanation`);
    assert.ok(logged!.reason && logged!.help && logged!.spec_ref);
  }

  describe('metadata (ASM-*)', () => {
    it('advertises PAR, S256, iss and the grants; a session demanding attestation claims no anonymous access', async () => {
      const root = (await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).json()) as Record<
        string,
        unknown
      >;
      assert.equal(root.pushed_authorization_request_endpoint, `${server.issuer}/par`, 'ASM-02');
      assert.equal(root.authorization_endpoint, `${server.issuer}/authorize`);
      assert.equal(root.require_pushed_authorization_requests, true);
      assert.deepEqual(root.code_challenge_methods_supported, ['S256'], 'ASM-05');
      assert.deepEqual(root.response_types_supported, ['code'], 'ASM-04');
      assert.equal(root.authorization_response_iss_parameter_supported, true, 'ASM-08');
      for (const grant of ['authorization_code', 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'refresh_token'])
        assert.ok((root.grant_types_supported as string[]).includes(grant), `ASM-03 ${grant}`);
      assert.deepEqual(root.token_endpoint_auth_methods_supported, ['attest_jwt_client_auth', 'none'], 'ASM-07');
      const attested = await createOffer(server, { require_wallet_attestation: true });
      assert.equal(
        attested.credential_offer.credential_issuer as string,
        `${server.issuer}/s/${attested.session_id}`,
        'a session-scoped issuer',
      );
      const scoped = (await (
        await fetch(`${server.origin}/.well-known/oauth-authorization-server/s/${attested.session_id}`)
      ).json()) as Record<string, unknown>;
      assert.deepEqual(scoped.token_endpoint_auth_methods_supported, ['attest_jwt_client_auth']);
      assert.equal(
        scoped['pre-authorized_grant_anonymous_access_supported'],
        false,
        'ASM-09: not claimed where an attestation is demanded',
      );
    });
  });

  describe('PAR (PAR-01..14)', () => {
    it('201 with a request_uri that lives at most 60 s (PAR-13)', async () => {
      const offer = await autoOffer();
      const { res } = await pushRequest(server, { issuerState: issuerStateOf(offer) });
      assert.equal(res.status, 201);
      assert.match(res.headers.get('cache-control')!, /no-store/);
      const body = (await res.json()) as { request_uri: string; expires_in: number };
      assert.match(body.request_uri, /^urn:ietf:params:oauth:request_uri:/);
      assert.ok(body.expires_in > 0 && body.expires_in <= 60);
      const events = (await server.store.events.list(offer.session_id)).map((e) => e.type);
      assert.ok(events.includes('par_received'), 'tied to the session by issuer_state');
    });

    const cases: Array<{
      id: string;
      error: string;
      status?: number;
      form?: Record<string, string | undefined>;
      contentType?: string;
    }> = [
      { id: 'PAR-03', error: 'invalid_request', form: { request_uri: 'urn:ietf:params:oauth:request_uri:x' } },
      { id: 'PAR-04.missing', error: 'invalid_request', form: { response_type: undefined } },
      { id: 'PAR-05.missing', error: 'invalid_request', form: { code_challenge: undefined } },
      { id: 'PAR-05.plain', error: 'invalid_request', form: { code_challenge_method: 'plain' } },
      { id: 'PAR-06.missing', error: 'invalid_request', form: { redirect_uri: undefined } },
      { id: 'PAR-06.fragment', error: 'invalid_request', form: { redirect_uri: 'https://wallet.example/cb#x' } },
      { id: 'PAR-07', error: 'invalid_request', form: { client_id: undefined } },
      { id: 'PAR-08', error: 'invalid_scope', form: { scope: 'nothing.known' } },
      { id: 'PAR-09.json', error: 'invalid_authorization_details', form: { authorization_details: '[{' } },
      {
        id: 'PAR-09.unknown_configuration',
        error: 'invalid_authorization_details',
        form: { authorization_details: JSON.stringify([{ type: 'openid_credential', credential_configuration_id: 'nope' }]) },
      },
      { id: 'PAR-10.not_offered', error: 'invalid_scope', form: { scope: 'org.example.university_diploma_sd_jwt' } },
      { id: 'PAR-11', error: 'invalid_target', form: { resource: 'not a uri' } },
      { id: 'PAR-12.syntax', error: 'invalid_request', form: { dpop_jkt: 'short' } },
    ];
    for (const c of cases) {
      it(`${c.id}: refused with ${c.error} and logged in the offer's session`, async () => {
        const offer = await autoOffer();
        const { res } = await pushRequest(server, { issuerState: issuerStateOf(offer), ...(c.form ? { form: c.form } : {}) });
        const expected = (await import('../../src/diagnostics/index.ts')).diagnostic(c.id as never);
        assert.equal(expected.error, c.error, 'the catalogue answers this error');
        await expectError(res, expected.status, c.error, c.id, offer.session_id);
      });
    }

    it('PAR-01: a JSON body is refused', async () => {
      const res = await fetch(`${server.issuer}/par`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
    });

    it('PAR-12.mismatch: dpop_jkt other than the DPoP proof key', async () => {
      const offer = await autoOffer();
      const other = 'A'.repeat(43);
      const { res } = await pushRequest(server, { issuerState: issuerStateOf(offer), form: { dpop_jkt: other } });
      await expectError(res, 400, 'invalid_dpop_proof', 'PAR-12.mismatch', offer.session_id);
    });

    it('PAR-02 / WA-14: an offer demanding wallet attestation refuses an unauthenticated PAR', async () => {
      const offer = await autoOffer({ require_wallet_attestation: true });
      const { res } = await pushRequest(server, {
        issuerState: issuerStateOf(offer),
        base: offer.credential_offer.credential_issuer as string,
      });
      await expectError(res, 401, 'invalid_client', 'WA-14.missing', offer.session_id);
    });

    it('PAR-10.no_grant: a pre-authorized-only session has no authorization code flow', async () => {
      const offer = await createOffer(server, { require_wallet_attestation: true });
      const { res } = await pushRequest(server, { base: `${server.issuer}/s/${offer.session_id}` });
      await expectError(res, 400, 'invalid_request', 'PAR-10.no_grant', offer.session_id);
    });

    it('PAR-10: without issuer_state a wallet-initiated session is started (WALLET_INITIATED=tester), visible to the admin', async () => {
      const { res } = await pushRequest(server);
      assert.equal(res.status, 201);
      const { request_uri } = (await res.json()) as { request_uri: string };
      const page = await openAuthorize(server.issuer, { client_id: CLIENT, request_uri });
      assert.equal(page.status, 200, 'the consent page');
      const html = await page.text();
      assert.match(html, /wallet-initiated/);
      const sessionId = /\/sessions\/([a-z0-9]+)/.exec(html)![1]!;
      const session = (await server.store.sessions.get(sessionId))!;
      assert.deepEqual(session.credential_configuration_ids, [PID_SD_JWT]);
      assert.equal(session.options.authorization_code?.wallet_initiated, true);
      // The consent page's browser may open the new session (its workspace), others may not.
      const cookie = page.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      assert.equal((await fetch(`${server.issuer}/sessions/${sessionId}`, { headers: { cookie } })).status, 200);
      assert.equal((await fetch(`${server.issuer}/sessions/${sessionId}`)).status, 404);
    });
  });

  describe('/authorize (AUTH-01..05)', () => {
    it('AUTH-01 / AUTH-02: untrusted requests get an explaining error page, never a redirect', async () => {
      const offer = await autoOffer();
      const { res } = await pushRequest(server, { issuerState: issuerStateOf(offer) });
      const { request_uri } = (await res.json()) as { request_uri: string };
      for (const [params, id] of [
        [{ client_id: CLIENT, redirect_uri: REDIRECT }, 'AUTH-01'],
        [{ client_id: CLIENT, request_uri: 'urn:ietf:params:oauth:request_uri:unknown' }, 'AUTH-02.unknown'],
        [{ client_id: 'https://attacker.example', request_uri }, 'AUTH-02.client_id'],
      ] as const) {
        const page = await openAuthorize(server.issuer, params);
        assert.equal(page.status, 400, id);
        assert.equal(page.headers.get('location'), null, `${id}: no redirect`);
        const html = await page.text();
        assert.match(html, new RegExp(id.replace('.', '\\.')), `${id} explained on the page`);
      }
      assert.equal((await lastError(server, offer.session_id))?.diagnostic, 'AUTH-02.client_id');
    });

    it('AUTH-04: auto approval redirects 303 with code, state and iss; AUTH-02: the request_uri is single-use (error redirect)', async () => {
      const offer = await autoOffer();
      const { location, res } = await codeFor(server, issuerStateOf(offer), {
        base: offer.credential_offer.credential_issuer as string,
      });
      assert.ok(res);
      assert.equal(`${location.origin}${location.pathname}`, REDIRECT);
      assert.equal(location.searchParams.get('state'), 'state-123');
      assert.equal(location.searchParams.get('iss'), offer.credential_offer.credential_issuer);
      assert.ok(location.searchParams.get('code'));
      const pushed = await pushRequest(server, {
        issuerState: issuerStateOf(offer),
        base: offer.credential_offer.credential_issuer as string,
      });
      const { request_uri } = (await pushed.res.json()) as { request_uri: string };
      const base = pushed.base;
      assert.equal((await openAuthorize(base, { client_id: CLIENT, request_uri })).status, 303);
      const again = await openAuthorize(base, { client_id: CLIENT, request_uri });
      assert.equal(again.status, 303);
      const error = new URL(again.headers.get('location')!);
      assert.equal(error.searchParams.get('error'), 'invalid_request_uri');
      assert.equal(error.searchParams.get('state'), 'state-123');
      assert.equal(error.searchParams.get('iss'), offer.credential_offer.credential_issuer);
    });
  });

  describe('token: authorization_code grant (TOK-09..17)', () => {
    async function redeemable(extra: Record<string, unknown> = {}) {
      const offer = await autoOffer(extra);
      const base = offer.credential_offer.credential_issuer as string;
      const dpopKey = await newKey();
      const got = await codeFor(server, issuerStateOf(offer), { dpopKey, base });
      const form = {
        grant_type: 'authorization_code',
        code: got.code,
        redirect_uri: REDIRECT,
        code_verifier: got.pkce.verifier,
        client_id: CLIENT,
      };
      return { offer, base, dpopKey, form };
    }

    const cases: Array<{
      id: string;
      status: number;
      error: string;
      change: (f: Record<string, string | undefined>) => void;
      otherKey?: boolean;
      noDpop?: boolean;
    }> = [
      {
        id: 'TOK-09.missing',
        status: 400,
        error: 'invalid_request',
        change: (f) => {
          f.code = undefined;
        },
      },
      {
        id: 'TOK-09.unknown',
        status: 400,
        error: 'invalid_grant',
        change: (f) => {
          f.code = 'nope';
        },
      },
      {
        id: 'TOK-09.client',
        status: 400,
        error: 'invalid_grant',
        change: (f) => {
          f.client_id = 'https://other.example';
        },
      },
      {
        id: 'TOK-10.mismatch',
        status: 400,
        error: 'invalid_grant',
        change: (f) => {
          f.redirect_uri = 'https://wallet.example/other';
        },
      },
      {
        id: 'TOK-11.missing',
        status: 400,
        error: 'invalid_request',
        change: (f) => {
          f.code_verifier = undefined;
        },
      },
      {
        id: 'TOK-11.mismatch',
        status: 400,
        error: 'invalid_grant',
        change: (f) => {
          f.code_verifier = 'x'.repeat(43);
        },
      },
      {
        id: 'TOK-12.missing',
        status: 400,
        error: 'invalid_request',
        change: (f) => {
          f.client_id = undefined;
        },
      },
      {
        id: 'TOK-06.grant',
        status: 400,
        error: 'invalid_request',
        change: (f) => {
          f.tx_code = '1234';
        },
      },
      {
        id: 'TOK-16.not_authorised',
        status: 400,
        error: 'invalid_authorization_details',
        change: (f) => {
          f.authorization_details = JSON.stringify([
            { type: 'openid_credential', credential_configuration_id: 'org.example.university_diploma_sd_jwt' },
          ]);
        },
      },
      { id: 'TOK-15.mismatch', status: 400, error: 'invalid_grant', change: () => {}, otherKey: true },
      { id: 'TOK-13', status: 400, error: 'invalid_dpop_proof', change: () => {}, noDpop: true },
    ];
    for (const c of cases) {
      it(`${c.id}: ${c.error}`, async () => {
        const { offer, base, dpopKey, form } = await redeemable();
        const changed: Record<string, string | undefined> = { ...form };
        c.change(changed);
        const headers = c.noDpop ? {} : await dpopFor(c.otherKey ? await newKey() : dpopKey, base);
        const res = await codeTokenRequest(base, changed, headers);
        // Sent to the session's own issuer (/s/<session>/token), so even an unknown code is logged there.
        await expectError(res, c.status, c.error, c.id, offer.session_id);
      });
    }

    it('TOK-09.reused: a second redemption is refused and revokes the access and refresh tokens of the first', async () => {
      const { offer, base, dpopKey, form } = await redeemable();
      const first = await codeTokenRequest(base, form, await dpopFor(dpopKey, base));
      assert.equal(first.status, 200);
      const tokens = (await first.json()) as { access_token: string; refresh_token: string };
      const second = await codeTokenRequest(base, form, await dpopFor(dpopKey, base));
      await expectError(second, 400, 'invalid_grant', 'TOK-09.reused', offer.session_id);
      const credential = await fetch(`${base}/credential`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `DPoP ${tokens.access_token}`,
          DPoP: await dpopProof(dpopKey, { htu: `${base}/credential`, ath: ath(tokens.access_token) }),
        },
        body: JSON.stringify(await validCredentialBody({ issuer: base })),
      });
      await expectError(credential, 401, 'invalid_token', 'CRED-03.revoked', offer.session_id);
      const refresh = await codeTokenRequest(
        base,
        { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT },
        await dpopFor(dpopKey, base),
      );
      await expectError(refresh, 400, 'invalid_grant', 'TOK-20.revoked', offer.session_id);
    });

    it('concurrency: one code redeemed 50 times at once succeeds exactly once', async () => {
      const { base, dpopKey, form } = await redeemable();
      const statuses = await Promise.all(
        Array.from({ length: 50 }, async () => (await codeTokenRequest(base, form, await dpopFor(dpopKey, base))).status),
      );
      assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
      assert.equal(statuses.filter((s) => s === 400).length, 49);
    });
  });

  describe('client authentication shared by PAR and /token (PAR-02, WA-13)', () => {
    const ATTESTED_CLIENT = 'https://wallet.example/instances/9';
    async function attestationHeaders(aud: string) {
      const instance = await newKey();
      const res = await fetch(`${server.issuer}/test-attester/wallet-attestation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: ATTESTED_CLIENT, wallet_instance_jwk: instance.publicJwk }),
      });
      const { wallet_attestation: attestation } = (await res.json()) as { wallet_attestation: string };
      const pop = await new SignJWT({ iss: ATTESTED_CLIENT, aud, jti: randomUUID() })
        .setProtectedHeader({ typ: 'oauth-client-attestation-pop+jwt', alg: 'ES256' })
        .setIssuedAt()
        .sign(instance.privateKey);
      return { 'OAuth-Client-Attestation': attestation, 'OAuth-Client-Attestation-PoP': pop };
    }

    for (const c of [
      { name: 'another client instance at /token', demanded: true, id: 'WA-13.key', status: 400, error: 'invalid_grant' },
      {
        name: 'no attestation at /token after an attested PAR',
        demanded: false,
        id: 'WA-13.missing',
        status: 401,
        error: 'invalid_client',
      },
    ]) {
      it(`${c.id}: ${c.name}`, async () => {
        const offer = await autoOffer({ require_wallet_attestation: c.demanded });
        const base = offer.credential_offer.credential_issuer as string;
        const dpopKey = await newKey();
        const got = await codeFor(server, issuerStateOf(offer), {
          base,
          dpopKey,
          headers: await attestationHeaders(base),
          form: { client_id: ATTESTED_CLIENT },
        });
        const form = {
          grant_type: 'authorization_code',
          code: got.code,
          redirect_uri: REDIRECT,
          code_verifier: got.pkce.verifier,
          client_id: ATTESTED_CLIENT,
        };
        const headers = { ...(await dpopFor(dpopKey, base)), ...(c.demanded ? await attestationHeaders(base) : {}) };
        await expectError(await codeTokenRequest(base, form, headers), c.status, c.error, c.id, offer.session_id);
      });
    }
  });

  describe('token: pre-authorized code grant with authorization_details (TOK-16, TOK-18, CRED-11)', () => {
    it('credential_identifiers for the requested configuration; /credential accepts exactly those', async () => {
      const offer = await createOffer(server, {
        credential_configuration_ids: [PID_SD_JWT, 'org.example.university_diploma_sd_jwt'],
      });
      const dpopKey = await newKey();
      const details = JSON.stringify([{ type: 'openid_credential', credential_configuration_id: PID_SD_JWT }]);
      const res = await tokenRequest(
        server,
        { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), authorization_details: details, client_id: CLIENT },
        { DPoP: await dpopProof(dpopKey, { htu: `${server.issuer}/token` }) },
      );
      assert.equal(res.status, 200);
      const body = (await res.json()) as {
        access_token: string;
        refresh_token?: string;
        authorization_details: Array<{ credential_configuration_id: string; credential_identifiers: string[] }>;
      };
      assert.deepEqual(
        body.authorization_details.map((d) => d.credential_configuration_id),
        [PID_SD_JWT],
      );
      assert.ok(
        body.refresh_token,
        'H-13: a client that identified itself gets a refresh token with the pre-authorized grant too',
      );
      const wallet = { dpopKey, accessToken: body.access_token };
      const { proofs } = await validCredentialBody(server);
      const ok = await credentialRequest(server, wallet, {
        credential_identifier: body.authorization_details[0]!.credential_identifiers[0],
        proofs,
      });
      assert.equal(ok.status, 200, await ok.clone().text());
      const other = await credentialRequest(server, wallet, {
        credential_identifier: 'invented',
        proofs: (await validCredentialBody(server)).proofs,
      });
      await expectError(other, 400, 'unknown_credential_identifier', 'CRED-11.unknown', offer.session_id);
    });

    it('H-13: refresh_tokens false issues none and the session metadata drops the grant; an anonymous deferred plan gets a token that outlives it', async () => {
      const off = await autoOffer({
        refresh_tokens: false,
        require_wallet_attestation: false,
        grants: { pre_authorized_code: {}, authorization_code: { approval: 'auto' } },
      });
      const res = await tokenRequest(
        server,
        { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(off), client_id: CLIENT },
        { DPoP: await dpopProof(await newKey(), { htu: `${server.issuer}/token` }) },
      );
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { refresh_token?: string }).refresh_token, undefined);
      const scoped = (await (
        await fetch(`${server.origin}/.well-known/oauth-authorization-server/s/${off.session_id}`)
      ).json()) as { grant_types_supported: string[] };
      assert.ok(!scoped.grant_types_supported.includes('refresh_token'));

      const deferred = await createOffer(server, {
        credential_configuration_ids: [`${PID_SD_JWT}_deferred`],
        deferred: { ready_after_seconds: 3600 },
      });
      const anonymous = await tokenRequest(
        server,
        { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(deferred) },
        { DPoP: await dpopProof(await newKey(), { htu: `${server.issuer}/token` }) },
      );
      const body = (await anonymous.json()) as { expires_in: number; refresh_token?: string };
      assert.equal(body.refresh_token, undefined, 'an anonymous client could not refresh');
      assert.ok(body.expires_in >= 3600, `expires_in ${body.expires_in} covers the plan of 3600 s`);
    });

    it('TOK-16.not_authorised: a configuration outside the offer', async () => {
      const offer = await createOffer(server);
      const details = JSON.stringify([
        { type: 'openid_credential', credential_configuration_id: 'org.example.university_diploma_sd_jwt' },
      ]);
      const res = await tokenRequest(
        server,
        { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), authorization_details: details },
        { DPoP: await dpopProof(await newKey(), { htu: `${server.issuer}/token` }) },
      );
      await expectError(res, 400, 'invalid_authorization_details', 'TOK-16.not_authorised', offer.session_id);
    });
  });

  describe('token: refresh_token grant (TOK-20, WA-13, H-13)', () => {
    async function refreshable() {
      const offer = await autoOffer();
      const base = offer.credential_offer.credential_issuer as string;
      const dpopKey = await newKey();
      const got = await codeFor(server, issuerStateOf(offer), { dpopKey, base });
      const res = await codeTokenRequest(
        base,
        {
          grant_type: 'authorization_code',
          code: got.code,
          redirect_uri: REDIRECT,
          code_verifier: got.pkce.verifier,
          client_id: CLIENT,
        },
        await dpopFor(dpopKey, base),
      );
      assert.equal(res.status, 200);
      const tokens = (await res.json()) as { access_token: string; refresh_token: string };
      return {
        offer,
        base,
        dpopKey,
        tokens,
        form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token, client_id: CLIENT },
      };
    }

    it('rotates: the new refresh token works, the old one is a replay that revokes the family', async () => {
      const { offer, base, dpopKey, form } = await refreshable();
      const rotated = await codeTokenRequest(base, form, await dpopFor(dpopKey, base));
      assert.equal(rotated.status, 200);
      const next = (await rotated.json()) as { refresh_token: string; token_type: string };
      assert.equal(next.token_type, 'DPoP');
      const replay = await codeTokenRequest(base, form, await dpopFor(dpopKey, base));
      await expectError(replay, 400, 'invalid_grant', 'TOK-20.replayed', offer.session_id);
      const successor = await codeTokenRequest(
        base,
        { ...form, refresh_token: next.refresh_token },
        await dpopFor(dpopKey, base),
      );
      await expectError(successor, 400, 'invalid_grant', 'TOK-20.revoked', offer.session_id);
    });

    for (const c of [
      { id: 'TOK-20.dpop_key', error: 'invalid_grant', otherKey: true, form: {} },
      { id: 'TOK-20.no_proof', error: 'invalid_dpop_proof', noDpop: true, form: {} },
      { id: 'TOK-20.client', error: 'invalid_grant', form: { client_id: 'https://other.example' } },
      { id: 'TOK-20.missing', error: 'invalid_request', form: { refresh_token: undefined } },
    ] as Array<{ id: string; error: string; otherKey?: boolean; noDpop?: boolean; form: Record<string, string | undefined> }>) {
      it(`${c.id}: ${c.error}`, async () => {
        const { offer, base, dpopKey, form } = await refreshable();
        const headers = c.noDpop ? {} : await dpopFor(c.otherKey ? await newKey() : dpopKey, base);
        const res = await codeTokenRequest(base, { ...form, ...c.form }, headers);
        // A session demanding DPoP refuses a proof-less refresh before looking at the binding (TOK-13).
        const id = c.noDpop ? 'TOK-13' : c.id;
        await expectError(res, 400, c.noDpop ? 'invalid_dpop_proof' : c.error, id, offer.session_id);
      });
    }

    it('concurrency: one refresh token used 50 times at once succeeds exactly once', async () => {
      const { base, dpopKey, form } = await refreshable();
      const statuses = await Promise.all(
        Array.from({ length: 50 }, async () => (await codeTokenRequest(base, form, await dpopFor(dpopKey, base))).status),
      );
      assert.equal(statuses.filter((s) => s === 200).length, 1, statuses.join(','));
    });
  });
});

describe('wallet-initiated issuance as WALLET_INITIATED says', () => {
  it('auto: a PAR without issuer_state gets a session whose /authorize redirects with a code at once', async () => {
    const server = await startServer({ env: { WALLET_INITIATED: 'auto' } });
    try {
      const got = await codeFor(server, undefined as unknown as string);
      assert.ok(got.code, 'a code without consent page');
      const entry = (await server.store.sessions.list(null, null, 10, 0)).sessions[0]!;
      assert.equal(entry.options.authorization_code?.approval, 'auto');
      assert.equal(entry.options.authorization_code?.wallet_initiated, true);
      const events = (await server.store.events.list(entry.id)).map((e) => e.type);
      assert.ok(events.includes('wallet_initiated') && events.includes('code_issued'));
    } finally {
      await server.close();
    }
  });

  it('off: refused with PAR-10.wallet_initiated_off, logged in the unassigned stream', async () => {
    const server = await startServer({ env: { WALLET_INITIATED: 'off' } });
    try {
      const { res } = await pushRequest(server);
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
      assert.equal((await lastError(server, null))?.diagnostic, 'PAR-10.wallet_initiated_off');
    } finally {
      await server.close();
    }
  });
});
