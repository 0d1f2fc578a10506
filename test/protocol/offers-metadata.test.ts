// The playground API, offers by reference, metadata (MD-*, ASM-*), /nonce and CORS.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOffer, lastError, PID_SD_JWT, sessionRecords } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('offers, metadata and nonce', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const postOffer = (body: string, contentType = 'application/json') =>
    fetch(`${server.issuer}/credential_offers`, { method: 'POST', headers: { 'content-type': contentType }, body });

  it('lists every problem of a bad offer request at once', async () => {
    const res = await postOffer(
      JSON.stringify({
        credential_configuration_ids: ['nope'],
        require_dpop: 'yes',
        grants: { pre_authorized_code: { tx_code: { description: 'x'.repeat(301) } } },
      }),
    );
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: string; problems: Array<{ path: string }> };
    assert.equal(body.error, 'invalid_request');
    assert.deepEqual(body.problems.map((p) => p.path).sort(), [
      'credential_configuration_ids.0',
      'grants.pre_authorized_code.tx_code.description',
      'require_dpop',
    ]);
    assert.equal((await lastError(server, null))!.diagnostic, 'API.offer.invalid');
  });

  it('rejects malformed JSON and validates claims against the configuration', async () => {
    assert.equal((await postOffer('{"credential_configuration_ids": [')).status, 400);
    assert.equal((await postOffer('credential_configuration_ids=x', 'application/x-www-form-urlencoded')).status, 400);
    const res = await postOffer(
      JSON.stringify({
        credential_configuration_ids: [PID_SD_JWT],
        claims: { [PID_SD_JWT]: { given_name: 'Erika', birthdate: '26.01.1984' } },
      }),
    );
    const problems = ((await res.json()) as { problems: Array<{ path: string }> }).problems.map((p) => p.path);
    assert.ok(problems.includes(`claims.${PID_SD_JWT}.birthdate`));
    assert.ok(problems.includes(`claims.${PID_SD_JWT}.family_name`), 'mandatory claims are required');
  });

  it('OFF-09: serves the offer by reference as uncached JSON and records the retrieval', async () => {
    const offer = await createOffer(server, { grants: { pre_authorized_code: { tx_code: { input_mode: 'text', length: 8 } } } });
    assert.match(offer.tx_code!, /^[A-Z2-9]{8}$/, 'OFF-08: text tx_code of the announced length');
    const res = await fetch(offer.credential_offer_uri);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^application\/json/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const served = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(served, offer.credential_offer);
    assert.equal(served.credential_issuer, server.issuer, 'OFF-03');
    assert.equal((await server.store.sessions.get(offer.session_id))!.status, 'offer_retrieved');
    const retrieved = (await sessionRecords(server, offer.session_id, 'state')).find((r) => r.event === 'offer_retrieved');
    assert.ok(retrieved, 'the retrieval is a state record of the session');
  });

  it('an unknown offer id is 404 and logged to the unassigned stream', async () => {
    const res = await fetch(`${server.issuer}/credential_offers/doesnotexist`);
    assert.equal(res.status, 404);
    assert.equal((await lastError(server, null))!.diagnostic, 'OFF-09.unknown');
    const page = await (await fetch(`${server.issuer}/logs`)).text();
    assert.match(page, /Unknown credential offer/);
  });

  it('MD-*: issuer metadata in 1.0 shape with the HAIP must-haves', async () => {
    const res = await fetch(`${server.origin}/.well-known/openid-credential-issuer`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('cache-control')!, /max-age=/);
    const md = (await res.json()) as Record<string, any>;
    assert.equal(md.credential_issuer, server.issuer, 'MD-03');
    assert.equal(md.credential_endpoint, `${server.issuer}/credential`);
    assert.equal(md.nonce_endpoint, `${server.issuer}/nonce`, 'H-09 / NON-04');
    assert.ok(md.batch_credential_issuance.batch_size >= 2, 'MD-08');
    for (const [id, config] of Object.entries<Record<string, any>>(md.credential_configurations_supported)) {
      assert.ok(config.scope, `H-07: ${id} has a scope`);
      assert.ok(
        config.credential_metadata.display.length > 0 && config.credential_metadata.claims.length > 0,
        `${id} has credential_metadata`,
      );
      assert.ok(config.proof_types_supported.jwt.proof_signing_alg_values_supported.includes('ES256'), 'H-18');
      const binding = { mso_mdoc: ['cose_key'], jwt_vc_json: ['jwk', 'did:jwk', 'did:key'] }[config.format as string] ?? ['jwk'];
      assert.deepEqual(config.cryptographic_binding_methods_supported, binding, 'MD-06: binding methods with proof types');
      if (config.format === 'dc+sd-jwt') assert.ok(config.vct, 'MD-07');
      if (config.format === 'jwt_vc_json') assert.ok(config.credential_definition.type, 'MD-07');
      if (config.format === 'mso_mdoc') assert.ok(config.doctype, 'MD-07');
    }
    for (const id of ['eu.europa.ec.eudi.pid_mdoc', 'org.iso.18013.5.1.mDL', 'eu.europa.ec.av.1']) {
      assert.ok(md.credential_configurations_supported[id], `H-02: ${id} is offered`);
      assert.ok(md.credential_configurations_supported[`${id}_deferred`], `${id} has a deferred twin`);
    }
  });

  it('ASM-*: authorization server metadata', async () => {
    const as = (await (await fetch(`${server.origin}/.well-known/oauth-authorization-server`)).json()) as Record<string, any>;
    assert.equal(as.issuer, server.issuer, 'ASM-01');
    assert.equal(as.token_endpoint, `${server.issuer}/token`);
    assert.ok(as.grant_types_supported.includes('urn:ietf:params:oauth:grant-type:pre-authorized_code'));
    assert.ok(as.dpop_signing_alg_values_supported.includes('ES256'), 'DPOP-16');
    assert.equal(as['pre-authorized_grant_anonymous_access_supported'], true, 'TOK-08');
  });

  it('NON-02 / NON-03: /nonce answers a fresh c_nonce, no-store, with a DPoP-Nonce exposed to browsers', async () => {
    const a = await fetch(`${server.issuer}/nonce`, { method: 'POST', headers: { origin: 'https://wallet.example' } });
    const b = await fetch(`${server.issuer}/nonce`, { method: 'POST' });
    assert.equal(a.status, 200);
    assert.equal(a.headers.get('cache-control'), 'no-store');
    assert.ok(a.headers.get('dpop-nonce'));
    assert.match(a.headers.get('access-control-expose-headers')!, /DPoP-Nonce/);
    const [na, nb] = [(await a.json()) as { c_nonce: string }, (await b.json()) as { c_nonce: string }];
    assert.ok(na.c_nonce.length >= 32 && na.c_nonce !== nb.c_nonce);
    assert.equal((await fetch(`${server.issuer}/nonce`)).status, 405, 'NON-01');
  });

  it('answers CORS preflights for wallet endpoints', async () => {
    const res = await fetch(`${server.issuer}/credential`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://wallet.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,dpop,content-type',
      },
    });
    assert.equal(res.status, 204);
    assert.match(res.headers.get('access-control-allow-headers')!, /DPoP/);
  });
});

describe('MD-01: issuer identifier with a path', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ basePath: '/tenant-a' });
  });
  after(() => server.close());

  it('inserts /.well-known between host and path and serves endpoints below the path', async () => {
    const md = (await (await fetch(`${server.origin}/.well-known/openid-credential-issuer/tenant-a`)).json()) as Record<
      string,
      string
    >;
    assert.equal(md.credential_issuer, `${server.origin}/tenant-a`);
    assert.equal(md.credential_endpoint, `${server.origin}/tenant-a/credential`);
    const as = (await (await fetch(`${server.origin}/.well-known/oauth-authorization-server/tenant-a`)).json()) as Record<
      string,
      string
    >;
    assert.equal(as.issuer, `${server.origin}/tenant-a`);
    const offer = await createOffer(server);
    assert.ok(offer.credential_offer_uri.startsWith(`${server.origin}/tenant-a/credential_offers/`));
    assert.ok(offer.session_url.startsWith(`${server.origin}/tenant-a/sessions/${offer.session_id}?session_token=`));
    const opened = await fetch(offer.session_url, { redirect: 'manual' });
    assert.equal(opened.status, 303, 'the capability opens the page once');
    assert.equal(opened.headers.get('location'), `/tenant-a/sessions/${offer.session_id}`);
    assert.match(
      opened.headers.get('set-cookie') ?? '',
      /playground_workspace=[^;]+; Max-Age=\d+; Path=\/tenant-a; HttpOnly; SameSite=Lax/,
    );
  });
});
