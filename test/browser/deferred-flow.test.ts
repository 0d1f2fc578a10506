// Deferred issuance end to end: the independent client gets a 202, a tester supplies the claims in
// Chromium, the polling wallet receives a verifiable credential and its notification shows on the page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createOffer, PID_SD_JWT } from '../support/raw-wallet.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';
import { type ConsoleFixture, screenshot, startConsole, stopConsole } from './console-helpers.ts';

const PID_DEFERRED = `${PID_SD_JWT}_deferred`;

describe('deferred issuance with claims supplied in the browser', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('202 → form in Chromium → credential on the next poll → notification visible', async () => {
    const { server, browser } = fixture;
    const offer = await createOffer(server, { credential_configuration_ids: [PID_DEFERRED] });
    const page = await browser.newPage();
    await page.goto(offer.session_url);
    const wallet = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
    const first = wallet.credentialResponses[0]!;
    assert.equal(first.status, 202);
    const { transaction_id: transactionId } = first.body as { transaction_id: string; interval: number };
    assert.equal((await wallet.pollDeferred(transactionId)).status, 202);

    // The open page shows the form as soon as the request waits, without a manual reload.
    await page.waitForSelector('form.claims-form');
    assert.equal(await page.locator('#session-status').textContent(), 'awaiting_claims');
    const form = page.locator(`form.claims-form[data-configuration="${PID_DEFERRED}"]`);
    // A wrong value is refused next to its field and the entered values are kept.
    await form.getByLabel('Date of birth').fill('');
    await form.getByLabel('Family name').fill('Lovelace');
    await form.locator('input[name="claim.birthdate"]').evaluate((input) => {
      (input as HTMLInputElement).required = false;
    });
    await form.getByRole('button', { name: 'Supply claims and issue' }).click();
    await page.waitForSelector('.field.has-error');
    const refused = page.locator(`form.claims-form[data-configuration="${PID_DEFERRED}"]`);
    assert.equal(await refused.getByLabel('Family name').inputValue(), 'Lovelace', 'entered values are kept');
    await refused.getByLabel('Date of birth').fill('1815-12-10');
    await refused.getByLabel('Given name').fill('Ada');
    await refused.getByRole('button', { name: 'Supply claims and issue' }).click();
    await page.waitForURL(/#supply-claims$/);
    assert.equal(await page.locator('form.claims-form').count(), 0, 'nothing is waiting any more');
    assert.match(await page.locator('main').innerText(), /claims_supplied/);

    const ready = await wallet.pollDeferred(transactionId);
    assert.equal(ready.status, 200);
    const body = ready.body as { credentials: Array<{ credential: string }>; notification_id: string };
    const caPem = await playgroundCa(server.issuer);
    const verified = await verifySdJwtVc(body.credentials[0]!.credential, caPem);
    assert.equal(verified.claims.given_name, 'Ada');
    assert.equal(verified.claims.family_name, 'Lovelace');
    assert.equal(verified.claims.birthdate, '1815-12-10');

    assert.equal(await wallet.notify(body.notification_id, 'credential_accepted'), 204);
    await page.reload();
    assert.equal(await page.locator('#session-status').textContent(), 'credential_accepted');
    assert.match(await page.locator('main').innerText(), /credential_accepted/);
    await screenshot(page, 'deferred-session.png');
  });
});
