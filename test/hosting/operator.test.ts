// The operator (ADMIN_TOKEN): a login page with a strict cookie, every session and /logs for the
// admin only, global trust anchors and (OFFER_CREATION=admin) offer creation kept to it; without an
// ADMIN_TOKEN the console says what anyone may do. Also the headers that keep the console private:
// CORS only on wallet endpoints, X-Robots-Tag, robots.txt.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { createOffer, PID_SD_JWT } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

const ADMIN_TOKEN = 'operator-secret-0123456789abcdef';
const ANCHOR = {
  kind: 'wallet_attestation',
  jwk: {
    kty: 'EC',
    crv: 'P-256',
    x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU',
    y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0',
  },
};
const json = (headers: Record<string, string> = {}) => ({ 'content-type': 'application/json', ...headers });

describe('operator with ADMIN_TOKEN', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startServer({ env: { ADMIN_TOKEN } });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('keeps global trust anchors and /logs to the operator (Bearer or cookie)', async () => {
    const anonymous = await fetch(`${server.issuer}/api/trust-anchors`, {
      method: 'POST',
      headers: json(),
      body: JSON.stringify(ANCHOR),
    });
    assert.equal(anonymous.status, 403);
    assert.equal(((await anonymous.json()) as { error: string }).error, 'forbidden');
    const wrong = await fetch(`${server.issuer}/api/trust-anchors`, {
      method: 'POST',
      headers: json({ authorization: 'Bearer not-the-token-at-all' }),
      body: JSON.stringify(ANCHOR),
    });
    assert.equal(wrong.status, 403);
    const admin = await fetch(`${server.issuer}/api/trust-anchors`, {
      method: 'POST',
      headers: json({ authorization: `Bearer ${ADMIN_TOKEN}` }),
      body: JSON.stringify(ANCHOR),
    });
    assert.equal(admin.status, 201);
    assert.equal((await fetch(`${server.issuer}/logs`)).status, 403);
    assert.equal((await fetch(`${server.issuer}/logs`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).status, 200);
    // Offer creation stays open by default.
    assert.equal((await createOffer(server)).session_token.length >= 22, true);
  });

  it('signs in through /login with an HttpOnly SameSite=Strict cookie and then sees every session', async () => {
    const someone = await createOffer(server);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.issuer}/logs`);
    assert.match(await page.locator('main').innerText(), /Only the operator may do this/);
    await page
      .getByRole('link', { name: /sign in/i })
      .first()
      .click();
    await page.getByLabel('ADMIN_TOKEN').fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    assert.match(await page.locator('main').innerText(), /not the operator's token/);
    await page.getByLabel('ADMIN_TOKEN').fill(ADMIN_TOKEN);
    await Promise.all([page.waitForURL(/\/sessions$/), page.getByRole('button', { name: 'Sign in' }).click()]);
    const cookie = (await context.cookies()).find((c) => c.name === 'playground_admin')!;
    assert.equal(cookie.httpOnly, true);
    assert.equal(cookie.sameSite, 'Strict');
    assert.notEqual(cookie.value, ADMIN_TOKEN, 'the cookie never holds the token');
    assert.match(await page.locator('main').innerText(), /Every session/);
    assert.match(await page.locator('table.sessions tbody').innerText(), new RegExp(someone.session_id));
    assert.equal(
      (await page.goto(`${server.issuer}/sessions/${someone.session_id}`))?.status(),
      200,
      'the operator opens any session',
    );
    assert.equal((await page.goto(`${server.issuer}/logs`))?.status(), 200);
    assert.equal(await page.locator('#open-notice').count(), 0, 'no open-playground notice when there is an operator');

    await page.goto(`${server.issuer}/login`);
    await Promise.all([page.waitForURL(`${server.issuer}/`), page.getByRole('button', { name: 'Sign out' }).click()]);
    assert.equal((await page.goto(`${server.issuer}/logs`))?.status(), 403);
    await context.close();
  });
});

describe('OFFER_CREATION=admin', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { ADMIN_TOKEN, OFFER_CREATION: 'admin' } });
  });
  after(() => server?.close());

  it('refuses offers from anyone but the operator, through the API and the form', async () => {
    const body = JSON.stringify({ credential_configuration_ids: [PID_SD_JWT] });
    const anonymous = await fetch(`${server.issuer}/credential_offers`, { method: 'POST', headers: json(), body });
    assert.equal(anonymous.status, 403);
    assert.equal(((await anonymous.json()) as { error: string }).error, 'forbidden');
    const admin = await fetch(`${server.issuer}/credential_offers`, {
      method: 'POST',
      headers: json({ authorization: `Bearer ${ADMIN_TOKEN}` }),
      body,
    });
    assert.equal(admin.status, 201);
    const form = await fetch(`${server.issuer}/offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `credential_configuration_ids=${PID_SD_JWT}`,
    });
    assert.equal(form.status, 403);
    assert.equal((await server.store.sessions.list(null, null, 10, 0)).total, 1);
  });
});

describe('an open playground', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());

  it('says on every page which global actions anyone can take, and that PUBLIC_URL is not https', async () => {
    const home = await (await fetch(`${server.issuer}/`)).text();
    assert.match(
      home,
      /id="open-notice">Open playground: anyone who can reach it can create offers, change the global trust anchors/,
    );
    assert.match(home, /id="https-warning">PUBLIC_URL http:\/\/127\.0\.0\.1:\d+ is not https/);
    const health = (await (await fetch(`${server.issuer}/healthz`)).json()) as { warnings?: string[] };
    assert.match(health.warnings?.[0] ?? '', /not https/);
  });

  it('answers CORS only on wallet endpoints, and keeps the console out of search engines', async () => {
    const preflight = (path: string) =>
      fetch(`${server.issuer}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://wallet.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    for (const path of ['/token', '/credential', '/nonce', '/notification', '/deferred_credential']) {
      const answer = await preflight(path);
      assert.equal(answer.headers.get('access-control-allow-origin'), '*', path);
    }
    for (const path of ['/api/trust-anchors', '/credential_offers', '/offers', `/api/sessions/x/claims`, '/login']) {
      const answer = await preflight(path);
      assert.equal(answer.headers.get('access-control-allow-origin'), null, path);
    }
    const nonce = await fetch(`${server.issuer}/nonce`, { method: 'POST', headers: { origin: 'https://wallet.example' } });
    assert.equal(nonce.headers.get('access-control-allow-origin'), '*');
    assert.equal(nonce.headers.get('x-robots-tag'), null, 'wallet endpoints may be indexed like metadata');
    const page = await fetch(`${server.issuer}/sessions`, { headers: { origin: 'https://wallet.example' } });
    assert.equal(page.headers.get('access-control-allow-origin'), null);
    assert.equal(page.headers.get('x-robots-tag'), 'noindex, nofollow');
    const robots = await (await fetch(`${server.issuer}/robots.txt`)).text();
    assert.match(robots, /Allow: \/\.well-known\/[\s\S]*Disallow: \//);
  });
});
