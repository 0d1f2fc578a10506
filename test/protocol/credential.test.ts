// Raw requests against /credential for every rejection it can give (CRED-*, PRF-*, DPOP-* at the RS, D13-*).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ath,
  authorizedWallet,
  cNonce,
  createOffer,
  credentialRequest,
  dpopProof,
  keyProof,
  lastError,
  newKey,
  PID_JWT_VC,
  PID_SD_JWT,
  validCredentialBody,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('/credential', () => {
  let server: TestServer;
  let url: string;
  before(async () => {
    server = await startServer();
    url = `${server.issuer}/credential`;
  });
  after(() => server.close());

  async function expectError(
    res: Response,
    status: number,
    error: string | undefined,
    diagnosticId: string,
    sessionId: string | null,
  ) {
    assert.equal(res.status, status, `status for ${diagnosticId}`);
    assert.equal(res.headers.get('cache-control'), 'no-store', 'CRED-22: no-store');
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/, 'CRED-22: JSON error, never encrypted');
    const body = (await res.json()) as { error?: string };
    assert.equal(body.error, error);
    const entry = (await lastError(server, sessionId))!;
    assert.equal(entry.diagnostic, diagnosticId);
    for (const field of ['reason', 'help', 'spec_ref']) assert.ok(entry[field as 'reason'], `log entry has ${field}`);
    return entry;
  }

  it('CRED-03: no token → 401 with a DPoP challenge and no error code; unknown token → invalid_token', async () => {
    const none = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    assert.equal(none.headers.get('www-authenticate'), 'DPoP algs="ES256 ES384 EdDSA"');
    await expectError(none, 401, undefined, 'CRED-03.missing', null);
    const unknown = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'DPoP not-a-token' },
      body: '{}',
    });
    assert.match(unknown.headers.get('www-authenticate')!, /^DPoP error="invalid_token"/);
    await expectError(unknown, 401, 'invalid_token', 'CRED-03.unknown', null);
  });

  it('CRED-02: an access token in the query string is refused, in the log of the session it belongs to', async () => {
    const wallet = await authorizedWallet(server);
    const res = await fetch(`${url}?access_token=${wallet.accessToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await expectError(res, 401, 'invalid_request', 'CRED-02', wallet.offer.session_id);
    const unknown = await fetch(`${url}?access_token=not-ours`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    await expectError(unknown, 401, 'invalid_request', 'CRED-02', null);
  });

  it('CRED-04: a DPoP-bound token sent as Bearer, or without a proof, is refused', async () => {
    const wallet = await authorizedWallet(server);
    const body = await validCredentialBody(server);
    await expectError(
      await credentialRequest(server, wallet, body, { authorization: `Bearer ${wallet.accessToken}` }),
      401,
      'invalid_token',
      'CRED-04.scheme',
      wallet.offer.session_id,
    );
    const noProof = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `DPoP ${wallet.accessToken}` },
      body: JSON.stringify(body),
    });
    await expectError(noProof, 401, 'invalid_dpop_proof', 'CRED-04.proof_missing', wallet.offer.session_id);
  });

  it('DPOP-15: the authorization scheme is case-insensitive', async () => {
    const wallet = await authorizedWallet(server);
    const res = await credentialRequest(server, wallet, await validCredentialBody(server), {
      authorization: `dpop ${wallet.accessToken}`,
    });
    assert.equal(res.status, 200);
  });

  it('DPOP-11 / DPOP-12: wrong ath and a proof from another key are refused with 401', async () => {
    const wallet = await authorizedWallet(server);
    const body = await validCredentialBody(server);
    const wrongAth = await dpopProof(wallet.dpopKey, { htu: url, ath: ath('something else') });
    const res = await credentialRequest(server, wallet, body, { DPoP: wrongAth });
    assert.match(res.headers.get('www-authenticate')!, /error="invalid_dpop_proof"/);
    await expectError(res, 401, 'invalid_dpop_proof', 'DPOP-11', wallet.offer.session_id);
    const otherKey = await dpopProof(await newKey(), { htu: url, ath: ath(wallet.accessToken) });
    await expectError(
      await credentialRequest(server, wallet, body, { DPoP: otherKey }),
      401,
      'invalid_token',
      'DPOP-12',
      wallet.offer.session_id,
    );
  });

  it('CRED-01: wrong content type and malformed JSON', async () => {
    const wallet = await authorizedWallet(server);
    await expectError(
      await credentialRequest(server, wallet, 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }),
      400,
      'invalid_credential_request',
      'CRED-01.content_type',
      wallet.offer.session_id,
    );
    await expectError(
      await credentialRequest(server, wallet, '{"credential_configuration_id":', {}),
      400,
      'invalid_credential_request',
      'CRED-01.malformed',
      wallet.offer.session_id,
    );
  });

  it('rejects an oversized body with 413 and no crash', async () => {
    const wallet = await authorizedWallet(server);
    const res = await credentialRequest(server, wallet, JSON.stringify({ padding: 'x'.repeat(200_000) }));
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: string }).error, 'invalid_request');
  });

  it('CRED-10 / CRED-11 / CRED-12 / CRED-06: identifying the credential', async () => {
    const wallet = await authorizedWallet(server);
    const sid = wallet.offer.session_id;
    const { proofs } = await validCredentialBody(server);
    await expectError(
      await credentialRequest(server, wallet, { proofs }),
      400,
      'invalid_credential_request',
      'CRED-10.none',
      sid,
    );
    await expectError(
      await credentialRequest(server, wallet, { proofs, credential_configuration_id: PID_SD_JWT, credential_identifier: 'x' }),
      400,
      'invalid_credential_request',
      'CRED-10.both',
      sid,
    );
    await expectError(
      await credentialRequest(server, wallet, { proofs, credential_identifier: 'x' }),
      400,
      'invalid_credential_request',
      'CRED-11',
      sid,
    );
    await expectError(
      await credentialRequest(server, wallet, { proofs, credential_configuration_id: 'nope' }),
      400,
      'unknown_credential_configuration',
      'CRED-12',
      sid,
    );
    await expectError(
      await credentialRequest(server, wallet, { proofs, credential_configuration_id: PID_JWT_VC }),
      403,
      'insufficient_scope',
      'CRED-06',
      sid,
    );
  });

  it('CRED-13 / CRED-14 / CRED-15: proofs container', async () => {
    const wallet = await authorizedWallet(server);
    const sid = wallet.offer.session_id;
    const id = { credential_configuration_id: PID_SD_JWT };
    await expectError(await credentialRequest(server, wallet, id), 400, 'invalid_proof', 'CRED-13', sid);
    await expectError(
      await credentialRequest(server, wallet, { ...id, proofs: { jwt: [] } }),
      400,
      'invalid_proof',
      'CRED-14.shape',
      sid,
    );
    await expectError(
      await credentialRequest(server, wallet, { ...id, proofs: { di_vp: [{}] } }),
      400,
      'invalid_proof',
      'CRED-14.type',
      sid,
    );
    await expectError(
      await credentialRequest(server, wallet, { ...id, proofs: { jwt: Array(6).fill('a.b.c') } }),
      400,
      'invalid_credential_request',
      'CRED-15',
      sid,
    );
  });

  it('D13-C1 / D13-C2: draft-13 shapes get the 1.0 error and a log naming the draft', async () => {
    const wallet = await authorizedWallet(server);
    const sid = wallet.offer.session_id;
    const proof = await keyProof(await newKey(), { aud: server.issuer, nonce: await cNonce(server) });
    const d13 = await expectError(
      await credentialRequest(server, wallet, {
        format: 'vc+sd-jwt',
        vct: 'urn:eudi:pid:1',
        proof: { proof_type: 'jwt', jwt: proof },
      }),
      400,
      'invalid_credential_request',
      'D13-C1',
      sid,
    );
    assert.match(String(d13.facts.draft), /draft 13/);
    assert.match(String(d13.help), /credential_configuration_id/);
    const single = await expectError(
      await credentialRequest(server, wallet, {
        credential_configuration_id: PID_SD_JWT,
        proof: { proof_type: 'jwt', jwt: proof },
      }),
      400,
      'invalid_proof',
      'D13-C2',
      sid,
    );
    assert.match(String(single.help), /"proofs": \{"jwt"/);
    const mdoc = await expectError(
      await credentialRequest(server, wallet, {
        format: 'mso_mdoc',
        doctype: 'org.iso.18013.5.1.mDL',
        proof: { proof_type: 'jwt', jwt: proof },
      }),
      400,
      'invalid_credential_request',
      'D13-C1.mso_mdoc',
      sid,
    );
    assert.match(String(mdoc.reason), /mso_mdoc/);
    assert.match(String(mdoc.detail), /credential_configuration_id "org\.iso\.18013\.5\.1\.mDL"/, 'the 1.0 replacement is named');
  });

  it('PRF-08: a random nonce is invalid_nonce; a c_nonce is single-use', async () => {
    const wallet = await authorizedWallet(server);
    const sid = wallet.offer.session_id;
    const random = await keyProof(await newKey(), { aud: server.issuer, nonce: 'made-up' });
    await expectError(
      await credentialRequest(server, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [random] } }),
      400,
      'invalid_nonce',
      'PRF-08.unknown',
      sid,
    );
    const body = await validCredentialBody(server);
    assert.equal((await credentialRequest(server, wallet, body)).status, 200);
    await expectError(await credentialRequest(server, wallet, body), 400, 'invalid_nonce', 'PRF-08.unknown', sid);
  });

  it('PRF-05 / PRF-14: a tampered proof and a batch reusing one key are refused', async () => {
    const wallet = await authorizedWallet(server);
    const sid = wallet.offer.session_id;
    const nonce = await cNonce(server);
    const key = await newKey();
    const proof = await keyProof(key, { aud: server.issuer, nonce });
    const tampered = `${proof.slice(0, -4)}${proof.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const bad = await expectError(
      await credentialRequest(server, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [tampered] } }),
      400,
      'invalid_proof',
      'PRF-05',
      sid,
    );
    assert.equal(bad.jwt, 'body:proofs.jwt[0]', 'the refused proof is referenced in its request record');
    const again = await keyProof(key, { aud: server.issuer, nonce });
    await expectError(
      await credentialRequest(server, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof, again] } }),
      400,
      'invalid_proof',
      'PRF-14',
      sid,
    );
  });

  it('CRED-17: unknown parameters are ignored', async () => {
    const wallet = await authorizedWallet(server);
    const res = await credentialRequest(server, wallet, { ...(await validCredentialBody(server)), random_field: { a: 1 } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
  });

  it('DPOP-13 at the resource: 401 use_dpop_nonce with DPoP-Nonce, c_nonce not spent, retry succeeds', async () => {
    const wallet = await authorizedWallet(server, { dpop_nonce: true }).catch(() => undefined);
    assert.equal(wallet, undefined, 'the token request itself is challenged first');
    const offer = await createOffer(server, { dpop_nonce: true });
    const key = await newKey();
    const form = new URLSearchParams({
      grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code',
      'pre-authorized_code':
        offer.credential_offer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']!['pre-authorized_code'],
    });
    const first = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        DPoP: await dpopProof(key, { htu: `${server.issuer}/token` }),
      },
      body: form,
    });
    const nonce = first.headers.get('dpop-nonce')!;
    const token = await fetch(`${server.issuer}/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        DPoP: await dpopProof(key, { htu: `${server.issuer}/token`, nonce }),
      },
      body: form,
    });
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const body = await validCredentialBody(server);
    const challenged = await credentialRequest(server, { dpopKey: key, accessToken }, body);
    const fresh = challenged.headers.get('dpop-nonce')!;
    assert.match(challenged.headers.get('www-authenticate')!, /^DPoP error="use_dpop_nonce"/);
    await expectError(challenged, 401, 'use_dpop_nonce', 'DPOP-13', offer.session_id);
    const retry = await credentialRequest(server, { dpopKey: key, accessToken }, body, {
      DPoP: await dpopProof(key, { htu: url, ath: ath(accessToken), nonce: fresh }),
    });
    assert.equal(retry.status, 200, 'the same c_nonce still works after the DPoP challenge');
  });

  it('two concurrent requests with the same c_nonce issue exactly once', async () => {
    const wallet = await authorizedWallet(server);
    const nonce = await cNonce(server);
    const bodies = await Promise.all(
      [1, 2, 3].map(async () => ({
        credential_configuration_id: PID_SD_JWT,
        proofs: { jwt: [await keyProof(await newKey(), { aud: server.issuer, nonce })] },
      })),
    );
    const statuses = (await Promise.all(bodies.map((b) => credentialRequest(server, wallet, b)))).map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 400, 400]);
    assert.equal(await server.store.credentials.countForSession(wallet.offer.session_id), 1);
  });
});
