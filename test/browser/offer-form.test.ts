// The offer form in Chromium: every API option reaches the session, problems appear next to their fields with the
// entered values kept, and a POST without the CSRF token is refused.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PID_JWT_VC, PID_SD_JWT } from '../support/raw-wallet.ts';
import { type ConsoleFixture, createOfferThroughForm, screenshot, startConsole, stopConsole } from './console-helpers.ts';

describe('offer form in Chromium', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('sends every option the API has and stores them with the session', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    const offer = await createOfferThroughForm(page, server, async (form) => {
      await form.locator(`input[value="${PID_SD_JWT}"]`).uncheck();
      await form.locator(`input[value="${PID_JWT_VC}"]`).check();
      await form.getByLabel('Transaction code (tx_code)').selectOption('text');
      await form.getByLabel('Length').fill('5');
      await form.getByLabel('Description shown by the wallet (optional)').fill('Read it from the screen');
      await form.getByLabel('Demand server DPoP nonces').check();
      await form.getByLabel('Require a key attestation').check();
      await form.getByLabel('Accepted key_storage').fill('iso_18045_high, iso_18045_moderate');
      await form.getByLabel('Require a wallet attestation').check();
      await form.getByLabel('Strict').check();
      await form.getByLabel('Complete deferred requests automatically').check();
      await form.getByLabel('Ready after polls').fill('2');
      await form.getByLabel('Outcome when ready').selectOption('deny');
      await form.getByLabel('Subject id (optional)').fill('did:example:holder');
    });
    const session = (await server.store.sessions.get(offer.sessionId))!;
    assert.deepEqual(session.credential_configuration_ids, [PID_JWT_VC]);
    assert.deepEqual(session.options.tx_code, { input_mode: 'text', length: 5, description: 'Read it from the screen' });
    assert.equal(session.options.require_dpop, true);
    assert.equal(session.options.dpop_nonce, true);
    assert.deepEqual(session.options.require_key_attestation, { key_storage: ['iso_18045_high', 'iso_18045_moderate'] });
    assert.equal(session.options.require_wallet_attestation, true);
    assert.equal(session.options.strict, true);
    assert.deepEqual(session.options.deferred, { ready_after_polls: 2, outcome: 'deny' });
    assert.equal(session.options.subject_id, 'did:example:holder');
    assert.match(offer.txCode ?? '', /^[A-Za-z0-9]{5}$/);
  });

  it('shows problems next to their fields and keeps what was entered', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/`);
    await page.locator(`input[value="${PID_SD_JWT}"]`).uncheck();
    await page.getByLabel('Length').fill('3');
    await page.getByLabel('Require DPoP at /token').uncheck();
    await page.getByLabel('Demand server DPoP nonces').check();
    await page.getByLabel('Claims as JSON (optional)').fill('{"given_name":');
    await page.getByLabel('Accepted user_authentication').fill('iso_18045_high');
    const sessionsBefore = (await server.store.sessions.list(null, null, 1, 0)).total;
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Create offer' }).click(),
    ]);
    assert.equal(response.status(), 400);
    await page.waitForSelector('#form-problems');
    assert.equal((await server.store.sessions.list(null, null, 1, 0)).total, sessionsBefore, 'no offer was created');

    assert.match(
      await page.locator('#credential_configuration_ids-error').innerText(),
      /tick at least one credential configuration/,
    );
    assert.match(await page.locator('#tx_code_length-error').innerText(), /greater than or equal to 4/);
    assert.match(await page.locator('#dpop_nonce-error').innerText(), /only be demanded when require_dpop is true/);
    assert.match(await page.locator('#claims-error').innerText(), /not valid JSON/);
    assert.match(
      await page.locator('#user_authentication-error').innerText(),
      /only used when "Require a key attestation" is ticked/,
    );
    assert.equal(await page.getByLabel('Length').inputValue(), '3');
    assert.equal(await page.getByLabel('Length').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('Claims as JSON (optional)').inputValue(), '{"given_name":');
    assert.equal(await page.getByLabel('Demand server DPoP nonces').isChecked(), true);
    assert.equal(await page.getByLabel('Require DPoP at /token').isChecked(), false);
    await screenshot(page, 'home-page-errors.png');

    // A schema problem deep inside the claims names its path.
    await page.locator(`input[value="${PID_SD_JWT}"]`).check();
    await page.getByLabel('Length').fill('6');
    await page.getByLabel('Require DPoP at /token').check();
    await page.getByLabel('Accepted user_authentication').fill('');
    await page.getByLabel('Claims as JSON (optional)').fill(JSON.stringify({ [PID_SD_JWT]: { family_name: 5 } }));
    await page.getByRole('button', { name: 'Create offer' }).click();
    await page.waitForSelector('#claims-error');
    assert.match(
      await page.locator('#claims-error').innerText(),
      new RegExp(`${PID_SD_JWT.replaceAll('.', '\\.')}\\.family_name: Expected string`),
    );
  });

  it('refuses a POST without the CSRF token', async () => {
    const { server } = fixture;
    const form = new URLSearchParams({ credential_configuration_ids: PID_SD_JWT, tx_code_mode: 'none', require_dpop: 'true' });
    const sessionsBefore = (await server.store.sessions.list(null, null, 1, 0)).total;

    const bare = await fetch(`${server.issuer}/offers`, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(bare.status, 403);
    assert.match(await bare.text(), /Form expired or forged/);

    // With the cookie from a real page but without the token from its form, it is still refused.
    const home = await fetch(`${server.issuer}/`);
    const cookie = home.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    assert.ok(cookie.includes('playground_csrf='));
    const withCookie = await fetch(`${server.issuer}/offers`, {
      method: 'POST',
      body: form,
      headers: { cookie },
      redirect: 'manual',
    });
    assert.equal(withCookie.status, 403);

    const token = /name="_csrf" value="([^"]+)"/.exec(await home.text())![1]!;
    form.set('_csrf', token);
    const accepted = await fetch(`${server.issuer}/offers`, {
      method: 'POST',
      body: form,
      headers: { cookie },
      redirect: 'manual',
    });
    assert.equal(accepted.status, 303, 'the same form with its token is accepted');
    assert.equal((await server.store.sessions.list(null, null, 1, 0)).total, sessionsBefore + 1);
  });
});
