// Raw requests against /token for every rejection it can give (TOK-*, DPOP-* at the AS).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeOf, createOffer, dpopProof, lastError, newKey, PRE_AUTH, tokenRequest } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('/token', () => {
  let server: TestServer;
  let tokenUrl: string;
  before(async () => {
    server = await startServer();
    tokenUrl = `${server.issuer}/token`;
  });
  after(() => server.close());

  const dpopHeader = async () => ({ DPoP: await dpopProof(await newKey(), { htu: tokenUrl }) });

  async function expectError(res: Response, status: number, error: string, diagnosticId: string, sessionId: string | null) {
    assert.equal(res.status, status);
    assert.equal(res.headers.get('cache-control'), 'no-store', 'TOK-01: no-store on errors');
    const body = (await res.json()) as { error: string; error_description: string };
    assert.equal(body.error, error);
    assert.match(body.error_description, /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/, 'TOK-01: error_description charset');
    const entry = (await lastError(server, sessionId))!;
    assert.equal(entry.diagnostic, diagnosticId);
    for (const field of ['reason', 'help', 'spec_ref']) assert.ok(entry[field as 'reason'], `log entry has ${field}`);
  }

  it('TOK-01: rejects a JSON body', async () => {
    const res = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: PRE_AUTH }),
    });
    await expectError(res, 400, 'invalid_request', 'TOK-01.content_type', null);
  });

  it('TOK-02: missing and unsupported grant_type', async () => {
    await expectError(await tokenRequest(server, {}), 400, 'invalid_request', 'TOK-02.missing', null);
    await expectError(
      await tokenRequest(server, { grant_type: 'password' }),
      400,
      'unsupported_grant_type',
      'TOK-02.unsupported',
      null,
    );
  });

  it('TOK-03 / TOK-04: missing and unknown pre-authorized code, logged to the unassigned stream', async () => {
    await expectError(await tokenRequest(server, { grant_type: PRE_AUTH }), 400, 'invalid_request', 'TOK-03', null);
    await expectError(
      await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': 'nope' }, await dpopHeader()),
      400,
      'invalid_grant',
      'TOK-04.unknown',
      null,
    );
  });

  it('TOK-13: DPoP required by default', async () => {
    const offer = await createOffer(server);
    await expectError(
      await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) }),
      400,
      'invalid_dpop_proof',
      'TOK-13',
      offer.session_id,
    );
  });

  it('issues a Bearer token only when the offer sets require_dpop false', async () => {
    const offer = await createOffer(server, { require_dpop: false });
    const res = await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 300);
  });

  it('TOK-04: a pre-authorized code is single-use, also under concurrent requests', async () => {
    const offer = await createOffer(server);
    const form = { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) };
    const responses = await Promise.all(Array.from({ length: 6 }, async () => tokenRequest(server, form, await dpopHeader())));
    assert.deepEqual(responses.map((r) => r.status).sort(), [200, 400, 400, 400, 400, 400]);
    assert.equal((await server.store.events.list(offer.session_id)).filter((e) => e.type === 'token_exchanged').length, 1);
    await expectError(
      await tokenRequest(server, form, await dpopHeader()),
      400,
      'invalid_grant',
      'TOK-04.redeemed',
      offer.session_id,
    );
  });

  it('TOK-05 / TOK-06 / TOK-07: tx_code missing, unexpected and wrong; 5 wrong codes burn the code', async () => {
    const withCode = await createOffer(server, { grants: { pre_authorized_code: { tx_code: { length: 4 } } } });
    const form = { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(withCode) };
    await expectError(
      await tokenRequest(server, form, await dpopHeader()),
      400,
      'invalid_request',
      'TOK-05',
      withCode.session_id,
    );
    const wrong = withCode.tx_code === '0000' ? '1111' : '0000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expectError(
        await tokenRequest(server, { ...form, tx_code: wrong }, await dpopHeader()),
        400,
        'invalid_grant',
        'TOK-07',
        withCode.session_id,
      );
    }
    assert.match(String((await lastError(server, withCode.session_id))!.message), /attempt 5 of 5, the code is now invalidated/);
    const correctButBurnt = await tokenRequest(server, { ...form, tx_code: withCode.tx_code! }, await dpopHeader());
    await expectError(correctButBurnt, 400, 'invalid_grant', 'TOK-04.burnt', withCode.session_id);

    const withoutCode = await createOffer(server);
    await expectError(
      await tokenRequest(
        server,
        { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(withoutCode), tx_code: '1234' },
        await dpopHeader(),
      ),
      400,
      'invalid_request',
      'TOK-06',
      withoutCode.session_id,
    );
  });

  it('DPOP-13: demands a server nonce when the offer asks, and accepts the retry', async () => {
    const offer = await createOffer(server, { dpop_nonce: true });
    const key = await newKey();
    const form = { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) };
    const first = await tokenRequest(server, form, { DPoP: await dpopProof(key, { htu: tokenUrl }) });
    const nonce = first.headers.get('dpop-nonce');
    assert.ok(nonce, 'DPoP-Nonce header on use_dpop_nonce');
    await expectError(first, 400, 'use_dpop_nonce', 'DPOP-13', offer.session_id);
    const retry = await tokenRequest(server, form, { DPoP: await dpopProof(key, { htu: tokenUrl, nonce }) });
    assert.equal(retry.status, 200);
    assert.ok(retry.headers.get('dpop-nonce'), 'a fresh nonce comes with the token');
  });

  it('DPOP-10: a replayed proof is refused; DPOP-08: a proof for another URL is refused', async () => {
    const key = await newKey();
    const proof = await dpopProof(key, { htu: tokenUrl });
    const first = await createOffer(server);
    assert.equal(
      (await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(first) }, { DPoP: proof })).status,
      200,
    );
    const second = await createOffer(server);
    await expectError(
      await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(second) }, { DPoP: proof }),
      400,
      'invalid_dpop_proof',
      'DPOP-10',
      second.session_id,
    );
    const elsewhere = await dpopProof(key, { htu: `${server.issuer}/credential` });
    await expectError(
      await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(second) }, { DPoP: elsewhere }),
      400,
      'invalid_dpop_proof',
      'DPOP-08',
      second.session_id,
    );
  });

  it('NON-01 style: other methods get 405 with Allow', async () => {
    const res = await fetch(tokenUrl);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
  });
});
