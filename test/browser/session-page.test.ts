// The session page in real headless Chromium: wallet-sent markup stays inert text under a strict CSP, on first
// render and when it arrives live; logs filter by level and endpoint; the timeline explains skipped steps.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizedWallet,
  codeOf,
  createOffer,
  credentialRequest,
  keyProof,
  newKey,
  PID_SD_JWT,
  PRE_AUTH,
  tokenRequest,
} from '../support/raw-wallet.ts';
import { type ConsoleFixture, PAYLOAD, screenshot, scriptRan, startConsole, stopConsole } from './console-helpers.ts';

describe('session page in Chromium', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('renders hostile headers and bodies as text, on load and live, and no script runs', async () => {
    const { server, browser } = fixture;
    const offer = await createOffer(server, { require_dpop: false });
    // Hostile input in a header and in a form body, as a malicious wallet would send.
    await fetch(offer.credential_offer_uri, { headers: { 'user-agent': PAYLOAD } });
    await tokenRequest(server, {
      grant_type: PRE_AUTH,
      'pre-authorized_code': codeOf(offer),
      tx_code: '1234',
      wallet_note: PAYLOAD,
    });

    const page = await browser.newPage();
    const response = await page.goto(offer.session_url);
    const csp = response!.headers()['content-security-policy']!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'/);
    assert.equal(await page.locator('#session-status').textContent(), 'offer_retrieved');
    assert.match(await page.locator('main').innerText(), /tx_code not expected/, 'the rejection is on the page');
    await page.waitForSelector('#live-state:has-text("Live:")');

    // The same payload again while the page is open: it arrives over the live stream.
    await tokenRequest(
      server,
      { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), tx_code: '1234', wallet_note: `${PAYLOAD}-live` },
      { 'x-wallet': PAYLOAD },
    );
    await page.waitForFunction(() => document.querySelectorAll('#log-entries .entry.new').length > 0);
    await page.locator('#log-entries details').evaluateAll((all) => {
      for (const d of all) (d as HTMLDetailsElement).open = true;
    });
    await page.waitForTimeout(200); // give an injected <img onerror> the chance to fire
    assert.equal(await scriptRan(page), undefined, 'no injected script ran');
    assert.equal(await page.locator('#log-entries script, #log-entries img').count(), 0, 'no markup was created');
    const text = await page.locator('#log-entries').innerText();
    assert.ok(
      text.includes('"wallet_note": "<script>window.__pwned = 1</script><img src=x onerror=\\"window.__pwned = 2\\">-live"'),
      'the live payload is shown as text',
    );
    assert.ok(text.includes('<img src=x onerror="window.__pwned = 2">'), 'the header payload is shown as text');
    await screenshot(page, 'session-page.png');
  });

  it('filters logs by level and endpoint', async () => {
    const { server, browser } = fixture;
    const offer = await createOffer(server, { require_dpop: false });
    await fetch(offer.credential_offer_uri);
    await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), tx_code: '123' });
    const page = await browser.newPage();
    await page.goto(offer.session_url);

    await page.getByLabel('Level').selectOption('error');
    await Promise.all([page.waitForURL(/level=error/), page.getByRole('button', { name: 'Filter' }).click()]);
    const levels = await page.locator('#log-entries .entry .badge').allTextContents();
    assert.ok(levels.length > 0 && levels.every((level) => level === 'error'), `only errors: ${levels.join(',')}`);

    await page.goto(offer.session_url);
    await page.getByLabel('Endpoint').selectOption('/credential_offers/:id');
    await Promise.all([page.waitForURL(/endpoint=/), page.getByRole('button', { name: 'Filter' }).click()]);
    const endpoints = await page.locator('#log-entries .entry .endpoint').allTextContents();
    assert.ok(endpoints.length > 0 && endpoints.every((e) => e === '/credential_offers/:id'));
  });

  it('notes a skipped nonce step when the key proof carries a c_nonce the nonce endpoint never issued', async () => {
    const { server, browser } = fixture;
    const wallet = await authorizedWallet(server);
    const proof = await keyProof(await newKey(), { aud: server.issuer, nonce: 'made-up-nonce' });
    const res = await credentialRequest(server, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } });
    assert.equal(res.status, 400);

    const page = await browser.newPage();
    await page.goto(wallet.offer.session_url);
    const nonce = page.locator('#timeline .step:has(.step-title:text-is("Nonce"))');
    assert.equal(await nonce.locator('.state').textContent(), 'skipped');
    assert.match(await nonce.innerText(), /never have called the nonce endpoint/);
    const failed = page.locator('details.entry.level-error').first();
    assert.match(await failed.innerText(), /How to fix[\s\S]*Rule\s+PRF-08\.unknown \(PRF-08\)/);
    assert.match(
      await failed.innerText(),
      /Key proof 0[\s\S]*"nonce": "made-up-nonce"/,
      'the refused proof is decoded beside its findings',
    );
  });
});
