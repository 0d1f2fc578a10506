// The consent page in real Chromium: the independent @openid4vc client pushes the request, the
// tester's browser opens the authorization URL, edits the claims and approves (the wallet redeems the
// code for a credential verified independently) or denies (access_denied back to the wallet).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { authCodeWallet, REDIRECT_URI } from '../support/auth-code-wallet.ts';
import { createOffer, PID_SD_JWT } from '../support/raw-wallet.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';
import {
  type ConsoleFixture,
  createOfferThroughForm,
  PAYLOAD,
  screenshot,
  scriptRan,
  startConsole,
  stopConsole,
} from './console-helpers.ts';

/** The wallet's redirect URI is not reachable here: the browser hands the URL over instead of loading it. */
async function catchRedirect(page: Page): Promise<{ caught: Promise<string> }> {
  let resolve!: (url: string) => void;
  const caught = new Promise<string>((r) => (resolve = r));
  await page.route(`${REDIRECT_URI}*`, async (route) => {
    resolve(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'back in the wallet' });
  });
  return { caught };
}

describe('consent page in the browser', () => {
  let fixture: ConsoleFixture;
  let caPem: string;
  before(async () => {
    fixture = await startConsole();
    caPem = await playgroundCa(fixture.server.issuer);
  });
  after(() => stopConsole(fixture));

  it('approve with edited claims: the wallet gets a code and a credential carrying them', async () => {
    const { server, browser } = fixture;
    const created = await createOffer(server, {
      credential_configuration_ids: [PID_SD_JWT],
      grants: { authorization_code: true },
    });
    const wallet = await authCodeWallet({ clientId: `https://wallet.example/${PAYLOAD}` });
    const { offer, issuerMetadata } = await wallet.resolve(created.offer_link);
    const started = await wallet.start(offer, issuerMetadata, { scope: 'eu.europa.ec.eudi.pid_vc_sd_jwt' });

    const page = await browser.newPage();
    const redirected = await catchRedirect(page);
    await page.goto(started.authorizationRequestUrl);
    assert.equal(
      await page.locator('#consent-client-id').textContent(),
      `https://wallet.example/${PAYLOAD}`,
      'who asks, shown as text',
    );
    assert.match((await page.locator('#consent-attestation').textContent())!, /none/);
    assert.match((await page.locator('#consent-requested').textContent())!, new RegExp(PID_SD_JWT.replace(/\./g, '\\.')));
    // The Supply Claims fields, prefilled from the sample.
    const form = page.locator(`.claims-form[data-configuration="${PID_SD_JWT}"]`);
    const familyName = form.getByLabel('Family name', { exact: false }).first();
    assert.equal(await familyName.inputValue(), 'Mustermann', 'prefilled from the sample');
    await familyName.fill('Lovelace');
    await screenshot(page, 'consent.png');
    assert.equal(await scriptRan(page), undefined, 'wallet-sent markup never runs');
    await page.locator('#consent-approve').click();
    const location = await redirected.caught;

    const response = wallet.parseRedirect(location, issuerMetadata);
    assert.ok('code' in response && response.code, location);
    const tokens = await wallet.exchange(offer, issuerMetadata, response.code!, started.codeVerifier);
    const credential = await wallet.credential(issuerMetadata, tokens.access_token, { configurationId: PID_SD_JWT });
    assert.equal(credential.status, 200, JSON.stringify(credential.body));
    const verified = await verifySdJwtVc(credential.body.credentials![0]!.credential, caPem);
    assert.equal(verified.claims.family_name, 'Lovelace', 'the approved claims are issued');
    const events = (await server.store.events.list(created.session_id)).map((e) => e.type);
    assert.ok(events.includes('consent_given'));
    await wallet.refresh(issuerMetadata, tokens.refresh_token!);

    // The session timeline grows the flow's steps, decided from its events.
    await page.goto(created.session_url);
    const state = async (key: string) => page.locator(`[data-step="${key}"] .state`).textContent();
    for (const key of ['par', 'authorize', 'consent', 'redirect', 'token', 'credential', 'refresh'])
      assert.equal(await state(key), 'done', `timeline step ${key}`);
    await page.close();
  });

  it('an authorization code offer made with the form shows its grant on the offer page and the session page', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    const made = await createOfferThroughForm(page, server, async (p) => {
      await p.locator('#grants').selectOption('authorization_code_auto');
    });
    assert.match(
      (await page.locator('#offer-grants').textContent())!,
      /authorization code \(approved at once, with issuer_state\)/,
    );
    assert.doesNotMatch((await page.locator('#offer-grants').textContent())!, /pre-authorized/);
    const json = JSON.parse((await page.locator('#offer-json').textContent())!) as { grants: Record<string, unknown> };
    assert.deepEqual(Object.keys(json.grants), ['authorization_code']);
    await page.goto(`${server.issuer}/sessions/${made.sessionId}`);
    assert.match(await page.content(), /authorization_code \(approval auto\)/);
    assert.equal(await page.locator('[data-step="par"] .state').textContent(), 'not yet');
    await page.close();
  });

  it('invalid claims are refused on the page and nothing is decided; deny sends access_denied with iss (state: test/protocol/authorization-code.test.ts)', async () => {
    const { server, browser } = fixture;
    const created = await createOffer(server, {
      credential_configuration_ids: [PID_SD_JWT],
      grants: { authorization_code: { approval: 'tester' } },
    });
    const wallet = await authCodeWallet();
    const { offer, issuerMetadata } = await wallet.resolve(created.offer_link);
    const started = await wallet.start(offer, issuerMetadata, { scope: 'eu.europa.ec.eudi.pid_vc_sd_jwt' });
    const page = await browser.newPage();
    const redirected = await catchRedirect(page);
    await page.goto(started.authorizationRequestUrl);
    const form = page.locator(`.claims-form[data-configuration="${PID_SD_JWT}"]`);
    await form.locator('input[value="json"]').check();
    await form.locator('details.raw-json summary').click();
    await form.locator('textarea[name$="claims_json"]').fill('{"family_name": 42}');
    await page.locator('#consent-approve').click();
    await page.waitForSelector('.field-error, .form-errors');
    assert.ok((await page.locator('.field-error, .form-errors').count()) > 0, 'the problems are shown on the page');
    assert.equal(
      await form.locator('textarea[name$="claims_json"]').inputValue(),
      '{"family_name": 42}',
      'the entered JSON is kept',
    );
    await page.locator('#consent-deny').click();
    const location = new URL(await redirected.caught);
    assert.equal(location.searchParams.get('error'), 'access_denied', 'AUTH-03.denied');
    assert.equal(location.searchParams.get('iss'), issuerMetadata.authorizationServers[0]!.issuer);
    const response = wallet.parseRedirect(location.href, issuerMetadata);
    assert.equal(response.error, 'access_denied');
    const events = (await server.store.events.list(created.session_id)).map((e) => e.type);
    assert.ok(events.includes('consent_denied'));
    assert.ok(!events.includes('code_issued'));
    await page.close();
  });
});
