// The session page in real headless Chromium: wallet-sent HTML stays inert text under a strict CSP.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { codeOf, createOffer, PRE_AUTH, tokenRequest } from '../support/raw-wallet.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url);
const PAYLOAD = `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

describe('session page in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows status, events and explained logs; script payloads render as text and never run', async () => {
    const offer = await createOffer(server, { require_dpop: false });
    // Hostile input in a header and in a form body, as a malicious wallet would send.
    await fetch(offer.credential_offer_uri, { headers: { 'user-agent': PAYLOAD } });
    await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), tx_code: PAYLOAD });

    const page = await browser.newPage();
    const response = await page.goto(offer.session_url);
    const csp = response!.headers()['content-security-policy']!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no injected script ran');
    assert.equal(await page.locator('#session-status').textContent(), 'offer_retrieved');
    assert.match((await page.locator('h2').first().textContent())!, /Session Logs — \d+ total/);
    const text = await page.locator('main').innerText();
    assert.match(text, /tx_code not expected/, 'the rejection is on the page');
    await page.locator('details').first().evaluate((d) => ((d as HTMLDetailsElement).open = true));
    assert.ok((await page.content()).includes('&lt;script&gt;window.__pwned'), 'the payload is escaped text');
    await page.screenshot({ path: new URL('session-page.png', ARTIFACTS).pathname, fullPage: true });
  });

  it('the home page names the issuer and lists the configurations', async () => {
    await runPreAuthorizedFlow({ offerUri: (await createOffer(server)).offer_link });
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/`);
    assert.equal(await page.locator('#issuer').textContent(), server.issuer);
    assert.match(await page.locator('main').innerText(), /eu\.europa\.ec\.eudi\.pid_vc_sd_jwt/);
    await page.screenshot({ path: new URL('home-page.png', ARTIFACTS).pathname, fullPage: true });
  });
});
