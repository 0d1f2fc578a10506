// Sessions list, unassigned requests and the diagnostics catalogue in Chromium.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { catalogue } from '../../src/diagnostics/index.ts';
import { codeOf, createOffer, PRE_AUTH, tokenRequest } from '../support/raw-wallet.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';
import { type ConsoleFixture, screenshot, startConsole, stopConsole } from './console-helpers.ts';

describe('sessions list, unassigned requests and diagnostics in Chromium', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('lists sessions newest first with status, error count and a status filter', async () => {
    const { server, browser } = fixture;
    const issued = await createOffer(server, { grants: { pre_authorized_code: { tx_code: { length: 6 } } } });
    await runPreAuthorizedFlow({ offerUri: issued.offer_link, txCode: issued.tx_code! });
    const failing = await createOffer(server, { require_dpop: false });
    await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(failing), tx_code: '1' });
    await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(failing), tx_code: '2' });

    const page = await browser.newPage();
    await page.goto(`${server.issuer}/sessions`);
    const rows = page.locator('table.sessions tbody tr');
    assert.equal(await rows.count(), 0, "sessions made through the API are not this browser's until it opens their session_url");
    for (const offer of [issued, failing]) await page.goto(offer.session_url);
    await page.goto(`${server.issuer}/sessions`);
    assert.equal(await rows.count(), 2);
    assert.match(
      await rows.nth(0).innerText(),
      new RegExp(`${failing.session_id}[\\s\\S]*offer_created[\\s\\S]*\\b2$`),
      'newest first, with 2 errors',
    );
    assert.match(
      await rows.nth(1).innerText(),
      /credential_issued[\s\S]*tx_code \(numeric, 6\)[\s\S]*eu\.europa\.ec\.eudi\.pid_vc_sd_jwt/,
    );
    await screenshot(page, 'sessions-page.png');

    await page.getByLabel('Status').selectOption('credential_issued');
    await Promise.all([page.waitForURL(/status=credential_issued/), page.getByRole('button', { name: 'Filter' }).click()]);
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), new RegExp(issued.session_id));
  });

  it('shows requests tied to no session', async () => {
    const { server, browser } = fixture;
    await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': 'no-such-code' });
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/logs`);
    assert.match(await page.locator('#log-entries').innerText(), /Unknown pre-authorized code/);
  });

  it('lists every diagnostic of the catalogue with its rule, code, reason, help and spec reference', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/diagnostics`);
    const shown = await page.locator('article.diagnostic').evaluateAll((articles) => articles.map((a) => a.id));
    assert.deepEqual(shown.sort(), catalogue.map((d) => d.id).sort());
    for (const d of catalogue) {
      const text = await page.locator(`article[id="${d.id}"]`).innerText();
      assert.ok(text.includes(d.help) && text.includes(d.reason) && text.includes(d.spec_ref) && text.includes(d.error), d.id);
    }
  });
});
