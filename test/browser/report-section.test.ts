// The conformance report and the profiles in Chromium: choosing HAIP in the offer form presets the
// demands, a box changed afterwards is an override the session page names, and the report section
// fills in live as the wallet runs, each failed rule linking to its log entry and its diagnostics.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { authorizedWallet, credentialRequest, keyProof, newKey, PID_SD_JWT } from '../support/raw-wallet.ts';
import { type ConsoleFixture, createOfferThroughForm, screenshot, startConsole, stopConsole } from './console-helpers.ts';

describe('report section and profiles in Chromium', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('the HAIP profile presets the demands; a box changed afterwards is shown as an override', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    const offer = await createOfferThroughForm(page, server, async (form) => {
      assert.equal(await form.getByLabel('Demand server DPoP nonces').isChecked(), false, 'OpenID4VCI 1.0 preset');
      await form.getByLabel('Profile').selectOption('haip-1.0');
      for (const label of [
        'Require DPoP at /token',
        'Demand server DPoP nonces',
        'Require a wallet attestation',
        'Require a key attestation',
        'Strict',
      ]) {
        assert.equal(await form.getByLabel(label).isChecked(), true, `HAIP ticks "${label}"`);
      }
      await form.getByLabel('Strict').uncheck();
    });
    const session = (await server.store.sessions.get(offer.sessionId))!;
    assert.equal(session.options.profile, 'haip-1.0');
    assert.deepEqual(session.options.overrides, ['strict']);
    assert.equal(session.options.strict, false);
    assert.equal(session.options.dpop_nonce, true, 'the preset applied');
    assert.deepEqual(session.options.algs, ['ES256']);
    await page.goto(`${server.issuer}/sessions/${offer.sessionId}`);
    assert.match(await page.locator('.facts').innerText(), /profile HAIP 1\.0 \(overridden: strict\)/);
    assert.match(await page.locator('#report').innerText(), /Profile haip-1\.0/);
  });

  it('the form without JavaScript: ?profile=haip-1.0 renders the preset', async () => {
    const { server, browser } = fixture;
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${server.issuer}/?profile=haip-1.0`);
    assert.equal(await page.getByLabel('Profile').inputValue(), 'haip-1.0');
    assert.equal(await page.getByLabel('Require a wallet attestation').isChecked(), true);
    await context.close();
  });

  it('fills in live: a refused proof turns PRF-08 to fail, linked to its entry and to the diagnostics page', async () => {
    const { server, browser } = fixture;
    const wallet = await authorizedWallet(server);
    const page = await browser.newPage();
    await page.goto(wallet.offer.session_url);
    await page.waitForSelector('#live-state:has-text("Live:")');
    const report = page.locator('#report');
    assert.match(await report.innerText(), /TOK-04/, 'the token request is already in the report');
    assert.equal(
      await report.locator('tr.outcome-not_exercised', { hasText: 'PRF-08' }).count(),
      1,
      'no proof yet: PRF-08 not exercised',
    );

    const proof = await keyProof(await newKey(), { aud: server.issuer, nonce: randomUUID() });
    assert.equal(
      (await credentialRequest(server, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } })).status,
      400,
    );
    const failed = report.locator('tr.outcome-fail', { hasText: 'PRF-08' });
    await failed.waitFor();
    assert.match(await report.locator('.report-summary').innerText(), /1 fail/);
    await screenshot(page, 'report-section.png');

    await failed.locator('td').last().locator('a').first().click();
    await page.waitForURL(/#log-\d+$/);
    const entryId = new URL(page.url()).hash.slice(1);
    assert.match(await page.locator(`#${entryId}`).innerText(), /PRF-08/, 'the link lands on the refused request');

    await page.goBack();
    await page.locator('#report tr.outcome-fail', { hasText: 'PRF-08' }).locator('a', { hasText: 'PRF-08' }).click();
    await page.waitForURL(/\/diagnostics#rule-PRF-08$/);
    assert.equal(await page.locator('#rule-PRF-08').count(), 1);
  });
});
