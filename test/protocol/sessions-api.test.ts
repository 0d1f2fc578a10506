// Session JSON, unknown ids, and secrets kept out of the logs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizedWallet, credentialRequest, sessionFetch, sessionLog, validCredentialBody } from '../support/raw-wallet.ts';
import { startServer, type TestServer, tableRows } from '../support/server.ts';

describe('sessions API and pages', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('serves the session as JSON with status, events, paged logs and issued credential metadata', async () => {
    const wallet = await authorizedWallet(server);
    assert.equal((await credentialRequest(server, wallet, await validCredentialBody(server))).status, 200);
    const res = await sessionFetch(server, wallet.offer, `/api/sessions/${wallet.offer.session_id}`);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as Record<string, any>;
    assert.equal(body.session.status, 'credential_issued');
    assert.deepEqual(body.events.entries.map((e: { type: string }) => e.type).reverse(), [
      'offer_created',
      'token_exchanged',
      'credential_issued',
    ]);
    assert.equal(body.events.total, 3);
    assert.equal(body.logs.page, 1);
    assert.equal(body.logs.total, 3, 'one entry per request: offer, token, credential');
    assert.equal(body.issued_credentials.length, 1);
    assert.equal(body.issued_credentials[0].credential, undefined, 'the credential itself is not republished');
  });

  it('never stores an access token in full', async () => {
    const wallet = await authorizedWallet(server);
    await credentialRequest(server, wallet, await validCredentialBody(server));
    const logs = JSON.stringify(await sessionLog(server, wallet.offer.session_id));
    assert.ok(!logs.includes(wallet.accessToken), 'token absent from logs');
    assert.ok(
      logs.includes(`DPoP ${wallet.accessToken.slice(0, 6)}…${wallet.accessToken.slice(-4)}`),
      'a recognisable prefix is shown',
    );
    const rows = await tableRows(server, 'access_tokens');
    assert.ok(rows.length > 0 && !JSON.stringify(rows).includes(wallet.accessToken), 'only a hash is stored');
  });

  it('unknown sessions: 404 JSON for the API and a 404 page for browsers', async () => {
    const api = await fetch(`${server.issuer}/api/sessions/nope`);
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { error: string }).error, 'not_found');
    const page = await fetch(`${server.issuer}/sessions/nope`);
    assert.equal(page.status, 404);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'none'/);
  });

  it('pages the session logs (25 per page) and its events (50 per page), newest first', async () => {
    const wallet = await authorizedWallet(server);
    // 60 offer fetches: with the offer and the token, 62 log entries and 62 events.
    for (let i = 0; i < 60; i++) await fetch(`${wallet.offer.credential_offer_uri}`);
    const page = `/sessions/${wallet.offer.session_id}`;
    const open = (path: string, init?: RequestInit) => sessionFetch(server, wallet.offer, path, init);
    const first = await (await open(page)).text();
    assert.match(first, /<nav class="pager" aria-label="Pages">[\s\S]*?Page 1 of 3/);
    assert.match(first, /<nav class="pager" aria-label="Event pages">[\s\S]*?Page 1 of 2/);
    assert.match(first, /62 events, newest first/);
    const last = await (await open(`${page}?page=3`)).text();
    assert.match(last, /Session event: offer_created/, 'the oldest entry is on the last page');
    const oldest = (await server.store.logs.filteredPage(wallet.offer.session_id, {}, 100, 0)).entries.at(-1)!;
    const found = await open(`${page}/log/${oldest.id}`, { redirect: 'manual' });
    assert.equal(found.headers.get('location'), `${page}?page=3#log-${oldest.id}`, 'a link to an entry lands on its page');
    const olderEvents = await (await open(`${page}?events_page=2`)).text();
    assert.equal(olderEvents.match(/<code class="event-type">/g)?.length, 12, 'the second page holds the 12 oldest events');
    const api = (await (await open(`/api/sessions/${wallet.offer.session_id}?events_page=2`)).json()) as {
      events: { total: number; page: number; entries: Array<{ type: string }> };
    };
    assert.deepEqual(
      [api.events.total, api.events.page, api.events.entries.length, api.events.entries.at(-1)!.type],
      [62, 2, 12, 'offer_created'],
    );
  });
});
