// The tester's whole job in Chromium: offer through the form, wallet run, log entries arriving live on the open session page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPreAuthorizedFlow } from '../support/wallet.ts';
import {
  type ConsoleFixture,
  createOfferThroughForm,
  screenshot,
  scriptRan,
  startConsole,
  stopConsole,
} from './console-helpers.ts';

describe('console flow in Chromium', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('creates an offer with the form, shows it with its QR code, and a reload creates no second offer', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/`);
    assert.equal(await page.locator('#issuer').textContent(), server.issuer);
    await screenshot(page, 'home-page.png');

    const offer = await createOfferThroughForm(page, server, async (form) => {
      await form.getByLabel('Transaction code (tx_code)').selectOption('numeric');
      await form.getByLabel('Length').fill('8');
    });
    assert.match(offer.offerLink, /^openid-credential-offer:\/\/\?credential_offer_uri=/);
    assert.match(offer.txCode ?? '', /^\d{8}$/);
    assert.equal(await page.locator('.qr-code svg').count(), 1, 'the QR code is an inline SVG');
    assert.equal(
      await page.locator('#credential-offer-uri').textContent(),
      `${server.issuer}/credential_offers/${(await server.store.offers.forSession(offer.sessionId))!.id}`,
    );
    assert.equal(await page.locator('button[data-copy="offer-link"]').isVisible(), true, 'copy buttons appear once copy.js ran');
    const offerJson = JSON.parse((await page.locator('#offer-json').textContent())!) as { credential_issuer: string };
    assert.equal(offerJson.credential_issuer, server.issuer);
    await screenshot(page, 'offer-page.png');

    const sessionsBefore = (await server.store.sessions.list(null, null, 100, 0)).total;
    await page.reload();
    assert.equal(
      (await server.store.sessions.list(null, null, 100, 0)).total,
      sessionsBefore,
      'Post/Redirect/Get: reloading does not post again',
    );
    assert.equal(await page.locator('#tx-code').textContent(), offer.txCode, 'the same offer and tx_code are shown again');
  });

  it('shows a wallet run live on the open session page: entries, status, timeline, decoded tokens', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    const offer = await createOfferThroughForm(page, server);
    await page.locator('#session-link').click();
    await page.waitForSelector('#live-state:has-text("Live:")');
    assert.equal(await page.locator('#session-status').textContent(), 'offer_created');
    await page.evaluate(() => ((window as unknown as { __sameDocument: boolean }).__sameDocument = true));

    const run = await runPreAuthorizedFlow({ offerUri: offer.offerLink, ...(offer.txCode ? { txCode: offer.txCode } : {}) });
    assert.equal(run.credentialResponses[0]!.status, 200);

    await page.waitForSelector('#log-entries details.entry:has-text("Credential issued")');
    await page.waitForFunction(() => document.getElementById('session-status')?.textContent === 'credential_issued');
    assert.equal(
      await page.evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument),
      true,
      'no reload happened',
    );
    // Status and entries may arrive in separate pushes; the timeline follows with the last one.
    const credentialStep = page.locator('#timeline .step:has(.step-title:text-is("Credential")) .state');
    await page.waitForFunction(() => document.querySelector('#timeline .step:nth-child(5) .state')?.textContent === 'done');
    assert.equal(await credentialStep.textContent(), 'done');
    assert.match(await page.locator('#timeline').innerText(), /Nonce[\s\S]*inferred/);
    assert.match((await page.locator('#log-total').textContent()) ?? '', /^\d+$/);

    // The credential request is one entry: its checks with the decoded proof, then the issued credential.
    const credential = page.locator('details.entry:has-text("Credential issued")');
    await credential.locator('> summary').click();
    assert.match(await credential.innerText(), /Key proof 0[\s\S]*pass\s+PRF-08/);
    assert.match(await credential.innerText(), /Disclosures \(\d+\)[\s\S]*given_name[\s\S]*"Erika"/);
    assert.equal(await scriptRan(page), undefined);
    await screenshot(page, 'session-page-live.png');

    // The download belongs to the browser that created the session (its workspace cookie); a stranger gets 404.
    assert.equal((await fetch(`${server.issuer}/sessions/${offer.sessionId}/download`)).status, 404);
    const download = await page.context().request.get(`${server.issuer}/sessions/${offer.sessionId}/download`);
    assert.match(download.headers()['content-disposition'] ?? '', /attachment; filename="session-/);
    const exported = (await download.json()) as { session: { status: string }; events: unknown[]; logs: unknown[] };
    assert.equal(exported.session.status, 'credential_issued');
    assert.ok(
      exported.events.length >= 4 && exported.logs.length >= 4,
      'one log entry per request: offer form, offer fetch, token, credential',
    );
  });
});
