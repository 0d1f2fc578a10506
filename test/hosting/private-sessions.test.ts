// Sessions are private to their capability, in real Chromium: a second browser sees and changes
// nothing of the first one's session, a session_url opens it in a fresh browser once, the hijack
// path (list → offer page → code and tx_code → redeem) is closed, and a page on another loopback
// origin cannot write anything even with the tester's cookies.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { codeOf, createOffer, PID_SD_JWT, PRE_AUTH, sessionFetch, tokenRequest } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';

const PID_DEFERRED = `${PID_SD_JWT}_deferred`;

/** Another origin on the same host (another port): same-site, so Lax cookies go along; only the origin check stops it. */
// Closed in after() too, so a failing step cannot leave a listening server that keeps the test process alive.
const evilSites = new Set<Server>();
const closeSite = (server: Server) => {
  evilSites.delete(server);
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
};

async function evilSite(html: (target: string) => string, target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(html(target));
  });
  evilSites.add(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => closeSite(server) };
}

const strangerPaths = (sessionId: string) => [
  `/sessions/${sessionId}`,
  `/sessions/${sessionId}/offer`,
  `/sessions/${sessionId}/report`,
  `/sessions/${sessionId}/download`,
  `/sessions/${sessionId}/events`,
  `/api/sessions/${sessionId}`,
  `/api/sessions/${sessionId}/report`,
];

describe('private sessions in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let alice: BrowserContext;
  let bob: BrowserContext;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    alice = await browser.newContext();
    bob = await browser.newContext();
  });
  after(async () => {
    for (const site of [...evilSites]) await closeSite(site);
    await browser?.close();
    await server?.close();
  });

  const crossOriginRefusals = async () =>
    (await server.store.logs.filteredPage(null, {}, 100, 0)).entries.filter((entry) =>
      entry.records.some((record) => record.kind === 'rejection' && record.diagnostic === 'HTTP.cross_origin'),
    ).length;
  async function waitUntil(condition: () => Promise<boolean>, what: string): Promise<void> {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (await condition()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.fail(`${what}: no cross-origin refusal logged within 10 s`);
  }

  async function offerThroughForm(page: Page): Promise<string> {
    await page.goto(`${server.issuer}/`);
    await Promise.all([page.waitForURL(/\/sessions\/[^/]+\/offer$/), page.getByRole('button', { name: 'Create offer' }).click()]);
    return new URL(page.url()).pathname.split('/').at(-2)!;
  }

  it("a second browser cannot see or act on the first one's session: every path is the 404 of an unknown id", async () => {
    const alicePage = await alice.newPage();
    const sessionId = await offerThroughForm(alicePage);
    assert.match(
      (await alicePage.locator('#offer-link').textContent()) ?? '',
      /openid-credential-offer:/,
      'the creator sees the offer',
    );

    const bobPage = await bob.newPage();
    await bobPage.goto(`${server.issuer}/sessions`);
    assert.equal(await bobPage.locator('table.sessions tbody tr').count(), 0, "Bob's list does not show Alice's session");
    for (const path of strangerPaths(sessionId)) {
      const mine = await bob.request.get(`${server.issuer}${path}`);
      const unknown = await bob.request.get(`${server.issuer}${path.replace(sessionId, 'no-such-session')}`);
      assert.equal(mine.status(), 404, path);
      assert.equal(unknown.status(), 404, path);
      assert.equal(
        (await mine.text()).replaceAll(sessionId, 'ID'),
        (await unknown.text()).replaceAll('no-such-session', 'ID'),
        `${path} looks like an unknown id`,
      );
    }
    // Bob, on the playground's own pages with his own CSRF token, still cannot supply or refuse claims.
    await bobPage.goto(`${server.issuer}/`);
    const statuses = await bobPage.evaluate(async (id) => {
      const csrf = (document.querySelector('input[name="_csrf"]') as HTMLInputElement).value;
      const statuses: number[] = [];
      for (const path of [`/sessions/${id}/claims`, `/sessions/${id}/claims/deny`]) {
        const body = new URLSearchParams({ _csrf: csrf, credential_configuration_id: 'x' });
        statuses.push((await fetch(path, { method: 'POST', body, redirect: 'manual' })).status);
      }
      return statuses;
    }, sessionId);
    assert.deepEqual(statuses, [404, 404]);
    const api = await fetch(`${server.issuer}/api/sessions/${sessionId}/claims`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(api.status, 404);
  });

  it('a session_url opens the session in a fresh browser once, then lives at a clean URL by cookie', async () => {
    const offer = await createOffer(server);
    const fresh = await browser.newContext();
    const page = await fresh.newPage();
    const landing = await page.goto(offer.session_url);
    assert.equal(landing?.status(), 200);
    assert.equal(page.url(), `${server.issuer}/sessions/${offer.session_id}`, 'the capability left the address bar');
    assert.equal(
      (await page.evaluate(() => history.length)) <= 2 && !(await page.evaluate(() => location.href)).includes('session_token'),
      true,
    );
    assert.equal(await page.locator('#session-status').textContent(), 'offer_created');
    await page.reload();
    assert.equal(await page.locator('#session-status').textContent(), 'offer_created', 'the cookie keeps it');
    assert.equal((await fresh.request.get(`${server.issuer}/sessions/${offer.session_id}/offer`)).status(), 200);
    await page.goto(`${server.issuer}/sessions`);
    assert.match(await page.locator('table.sessions tbody').innerText(), new RegExp(offer.session_id));
    // A wrong capability is an unknown session, and adds nothing to the workspace.
    const wrong = await browser.newContext();
    assert.equal(
      (await wrong.request.get(offer.session_url.replace(/session_token=[^&]+/, 'session_token=guess'))).status(),
      404,
    );
    assert.equal((await wrong.request.get(`${server.issuer}/sessions/${offer.session_id}`)).status(), 404);
    // The Bearer capability opens the API, also for a script.
    assert.equal((await sessionFetch(server, offer, `/api/sessions/${offer.session_id}`)).status, 200);
    await Promise.all([fresh.close(), wrong.close()]);
  });

  it('the hijack path fails: no list, no offer page, no code in /logs, so nothing to redeem', async () => {
    const victim = await createOffer(server, { grants: { pre_authorized_code: { tx_code: { length: 6 } } } });
    const code = codeOf(victim);
    const stranger = await browser.newContext();
    const page = await stranger.newPage();
    await page.goto(`${server.issuer}/sessions`);
    assert.doesNotMatch(await page.content(), new RegExp(victim.session_id));
    assert.equal((await stranger.request.get(`${server.issuer}/sessions/${victim.session_id}/offer`)).status(), 404);
    // The victim's wallet fails a first token request: even the log of its session would not show the code.
    await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: '000000' });
    await page.goto(`${server.issuer}/logs`);
    const logs = await page.content();
    assert.doesNotMatch(logs, new RegExp(code));
    assert.doesNotMatch(logs, new RegExp(victim.tx_code!));
    const own = await (await sessionFetch(server, victim, `/api/sessions/${victim.session_id}`)).text();
    assert.doesNotMatch(own, new RegExp(code), 'not even the session owner sees the code in the log');
    await stranger.close();
  });

  it("a page on another loopback origin cannot write, even with the tester's cookies", async () => {
    const page = await alice.newPage();
    const offer = await createOffer(server, { credential_configuration_ids: [PID_DEFERRED] });
    await page.goto(offer.session_url);
    const wallet = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
    assert.equal(wallet.credentialResponses[0]!.status, 202);
    const anchorsBefore = await (await fetch(`${server.issuer}/api/trust-anchors`)).text();
    const offersBefore = (await server.store.sessions.list(null, null, 1, 0)).total;

    const forms = {
      claims: `<form method="post" action="${server.issuer}/sessions/${offer.session_id}/claims"><input name="credential_configuration_id" value="${PID_DEFERRED}"><input name="claim.given_name" value="Mallory"></form>`,
      anchors: `<form method="post" enctype="text/plain" action="${server.issuer}/api/trust-anchors"><input name='{"kind":"wallet_attestation","jwk":{"kty":"EC","x":"' value='"}}'></form>`,
      offers: `<form method="post" action="${server.issuer}/offers"><input name="credential_configuration_ids" value="${PID_SD_JWT}"></form>`,
    };
    for (const [name, form] of Object.entries(forms)) {
      const site = await evilSite(
        () => `<!doctype html><body>${form}<script>document.forms[0].submit()</script></body>`,
        server.issuer,
      );
      const before = await crossOriginRefusals();
      await page.goto(site.url);
      // The attempt reached the server and was refused there: its log entry says so (the browser may
      // show the 403 page or, when the connection closes before the form body is read, an error).
      await waitUntil(async () => (await crossOriginRefusals()) > before, name);
      await site.close();
    }
    // A script of the other origin fares no better (no-cors fetch with the cookies).
    const site = await evilSite(
      () =>
        `<!doctype html><script>fetch(${JSON.stringify(`${server.issuer}/sessions/${offer.session_id}/claims/deny`)}, { method: 'POST', mode: 'no-cors', credentials: 'include', body: new URLSearchParams({ credential_configuration_id: ${JSON.stringify(PID_DEFERRED)} }) }).then(() => 'sent', () => 'failed').then((outcome) => document.title = outcome)</script>`,
      server.issuer,
    );
    await page.goto(site.url);
    // Sent or refused by the browser itself: either way nothing may have changed.
    await page.waitForFunction(() => document.title !== '');
    await site.close();

    const session = (await (await sessionFetch(server, offer, `/api/sessions/${offer.session_id}`)).json()) as {
      session: { status: string };
    };
    assert.equal(session.session.status, 'awaiting_claims', 'no claims supplied, none refused');
    assert.equal(await (await fetch(`${server.issuer}/api/trust-anchors`)).text(), anchorsBefore, 'no trust anchor added');
    assert.equal((await server.store.sessions.list(null, null, 1, 0)).total, offersBefore, 'no offer created');
    // Each refusal is explained in the log of requests tied to no session (or to the session).
    const refusals = (await server.store.logs.filteredPage(null, {}, 50, 0)).entries;
    const explained = refusals.filter((entry) =>
      entry.records.some((record) => record.kind === 'rejection' && record.diagnostic === 'HTTP.cross_origin'),
    );
    assert.deepEqual(explained.map((entry) => entry.records[0]!.kind === 'request' && entry.records[0].url).sort(), [
      '/api/trust-anchors',
      '/offers',
      `/sessions/${offer.session_id}/claims`,
      `/sessions/${offer.session_id}/claims/deny`,
    ]);
  });
});
