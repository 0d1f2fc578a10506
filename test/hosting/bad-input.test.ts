// Bad input against the whole application: deep and oversized bodies, absurd paging values, hostile
// static paths and unknown endpoints get a precise 4xx, never a 500; where the request names a
// session (its access token, code or offer), the refusal is logged there with its diagnostic.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  ath,
  authorizedWallet,
  type CreatedOffer,
  codeOf,
  createOffer,
  dpopProof,
  type Key,
  PRE_AUTH,
  sessionFetch,
  sessionLog,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A request exactly as written: a path fetch() would normalise, a body of any size. */
function raw(
  origin: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: hostname,
        port,
        method,
        path,
        headers: body !== undefined ? { 'content-length': String(Buffer.byteLength(body)), ...headers } : headers,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('bad input gets a precise 4xx, never a 500', () => {
  let server: TestServer;
  let wallet: { offer: CreatedOffer; dpopKey: Key; accessToken: string };
  before(async () => {
    server = await startServer();
    wallet = await authorizedWallet(server);
  });
  after(() => server?.close());

  const walletHeaders = async (path: string) => ({
    'content-type': 'application/json',
    authorization: `DPoP ${wallet.accessToken}`,
    dpop: await dpopProof(wallet.dpopKey, { htu: `${server.issuer}${path}`, ath: ath(wallet.accessToken) }),
  });

  /** The newest entry of the wallet's session, with its refusal. */
  const newestRefusal = async () => {
    const entry = (await sessionLog(server, wallet.offer.session_id))[0]!;
    return { entry, rejection: entry.records.find((r) => r.kind === 'rejection') as { diagnostic: string } | undefined };
  };

  const sessionBodies: Array<[string, string, string, number, string]> = [
    ['10,000-deep array at /credential', '/credential', deep(10_000), 400, 'invalid_credential_request'],
    ['10,000-deep object at /credential', '/credential', deepObject(10_000), 400, 'invalid_credential_request'],
    [
      'a 60 KB string at /credential',
      '/credential',
      JSON.stringify({ credential_configuration_id: 'x'.repeat(60_000) }),
      400,
      'invalid_credential_request',
    ],
    ['malformed JSON at /credential', '/credential', '{"credential_configuration_id": ', 400, 'invalid_credential_request'],
    ['a body over 64 KiB at /credential', '/credential', JSON.stringify({ pad: 'x'.repeat(70_000) }), 413, 'invalid_request'],
    ['deep JSON at /notification', '/notification', deep(5_000), 400, 'invalid_notification_request'],
    ['deep JSON at /deferred_credential', '/deferred_credential', deep(5_000), 400, 'invalid_credential_request'],
  ];
  for (const [name, path, body, status, error] of sessionBodies) {
    it(`${name}: ${status} ${error}, logged in the session`, async () => {
      const answer = await raw(server.origin, 'POST', path, await walletHeaders(path), body);
      assert.equal(answer.status, status, answer.body);
      assert.equal((JSON.parse(answer.body) as { error: string }).error, error);
      const { entry, rejection } = await newestRefusal();
      assert.equal(entry.http_status, status);
      assert.ok(rejection, 'the refusal is explained in the session');
      assert.doesNotMatch(JSON.stringify(entry), /x{1000}|\[{100}/, 'the entry keeps no giant value');
    });
  }

  it('the draft-13 /batch_credential with a valid token: 404, logged in the session', async () => {
    const answer = await raw(
      server.origin,
      'POST',
      '/batch_credential',
      await walletHeaders('/batch_credential'),
      '{"credential_requests":[]}',
    );
    assert.equal(answer.status, 404);
    const { entry, rejection } = await newestRefusal();
    assert.equal(entry.http_status, 404);
    assert.equal(rejection?.diagnostic, 'HTTP.not_found');
  });

  it("a wrong content type at /token with a code: 400, logged in the code's session", async () => {
    const offer = await createOffer(server);
    const answer = await raw(
      server.origin,
      'POST',
      '/token',
      { 'content-type': 'application/json' },
      JSON.stringify({ grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) }),
    );
    assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status}`);
    const entry = (await sessionLog(server, offer.session_id))[0];
    assert.ok(entry?.records.some((r) => r.kind === 'rejection'));
  });

  const offerBodies: Array<[string, string]> = [
    ['10,000-deep body', deep(10_000)],
    [
      'deep claims',
      JSON.stringify({ credential_configuration_ids: ['eu.europa.ec.eudi.pid_vc_sd_jwt'], claims: JSON.parse(deepObject(200)) }),
    ],
    [
      'claims of the wrong type',
      JSON.stringify({ credential_configuration_ids: ['eu.europa.ec.eudi.pid_vc_sd_jwt'], claims: 'everything' }),
    ],
    ['a huge configuration id', JSON.stringify({ credential_configuration_ids: ['x'.repeat(50_000)] })],
    [
      'unknown fields',
      JSON.stringify({
        credential_configuration_ids: ['eu.europa.ec.eudi.pid_vc_sd_jwt'],
        grants: { pre_authorized_code: { tx_code: { length: 1e308 } } },
      }),
    ],
  ];
  for (const [name, body] of offerBodies) {
    it(`POST /credential_offers with ${name}: 400`, async () => {
      const answer = await raw(server.origin, 'POST', '/credential_offers', { 'content-type': 'application/json' }, body);
      assert.equal(answer.status, 400, answer.body);
      assert.equal((JSON.parse(answer.body) as { error: string }).error, 'invalid_request');
    });
  }

  it('deep claims supplied for a deferred credential: 400', async () => {
    const answer = await sessionFetch(server, wallet.offer, `/api/sessions/${wallet.offer.session_id}/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: deepObject(10_000),
    });
    assert.equal(answer.status, 400);
  });

  const pages = ['/sessions', '/logs', `/sessions/${'SESSION'}`];
  const badPages = ['1e308', '-1', '0', 'abc', '1.5', '100001', '9007199254740993', '%00', ''];
  for (const page of pages) {
    for (const value of badPages) {
      it(`GET ${page}?page=${value}: 400 or the first page, never a 500`, async () => {
        const path = page.replace('SESSION', wallet.offer.session_id);
        const answer = await sessionFetch(server, wallet.offer, `${path}?page=${value}&events_page=${value}`);
        assert.ok(answer.status === 400 || (value === '' && answer.status === 200), `${answer.status}`);
        if (answer.status === 400) assert.match(await answer.text(), /Invalid page number/);
      });
    }
  }

  it('the API pages its events and refuses absurd page values', async () => {
    const answer = await sessionFetch(server, wallet.offer, `/api/sessions/${wallet.offer.session_id}?events_page=1e308`);
    assert.equal(answer.status, 400);
    assert.equal(((await answer.json()) as { error: string }).error, 'invalid_request');
  });

  const staticPaths = [
    '/static/%2e%2e/package.json',
    '/static/..%2f..%2fpackage.json',
    '/static/%2e%2e%5c%2e%2e%5cetc%5cpasswd',
    '/static/style.css%00',
    `/static/${'a'.repeat(5000)}`,
    '/static/%ff',
  ];
  for (const path of staticPaths) {
    it(`GET ${path.slice(0, 60)}: 4xx`, async () => {
      const answer = await raw(server.origin, 'GET', path);
      assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status}`);
      assert.doesNotMatch(answer.body, /"dependencies"|root:/);
    });
  }

  const unknownIds = [
    '/credential_offers/nope',
    `/sessions/${'x'.repeat(2000)}`,
    '/api/sessions/%00',
    '/sessions/abc/log/notanumber',
    '/s/unknown-scope/token',
  ];
  for (const path of unknownIds) {
    it(`GET ${path.slice(0, 60)}: 4xx`, async () => {
      const answer = await raw(server.origin, 'GET', path);
      assert.ok(answer.status >= 400 && answer.status < 500, `${answer.status} ${answer.body.slice(0, 200)}`);
    });
  }
});
