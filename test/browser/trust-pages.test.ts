// The /trust and /test-attester pages in Chromium: anchors are added and removed through the form.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rootCa } from '../attestation/pki.ts';
import { type ConsoleFixture, screenshot, startConsole, stopConsole } from './console-helpers.ts';

describe('trust pages in Chromium', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('lists the test attester as test trust, adds a certificate anchor, refuses a bad one, removes it', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/trust`);
    assert.match(await page.locator('table.anchors').innerText(), /Playground test attester CA\s+TEST TRUST/);

    await page.getByLabel('PEM certificate or public JWK (JSON)').fill('not a certificate');
    await page.getByRole('button', { name: 'Add anchor' }).click();
    assert.match(await page.locator('.form-errors').innerText(), /pem: is not a PEM X\.509 certificate/);
    assert.equal(
      await page.getByLabel('PEM certificate or public JWK (JSON)').inputValue(),
      'not a certificate',
      'the entry is kept',
    );

    const ca = await rootCa('Vendor Wallet Provider Root', { nowMs: Date.now() });
    await page.getByLabel('Kind').selectOption('wallet_attestation');
    await page.getByLabel('Label').fill('Vendor root');
    await page.getByLabel('PEM certificate or public JWK (JSON)').fill(ca.pem);
    await page.getByRole('button', { name: 'Add anchor' }).click();
    await page.waitForURL(/\/trust$/);
    assert.ok((await server.store.anchors.listAll()).some((a) => a.label === 'Vendor root' && a.kind === 'wallet_attestation'));
    await screenshot(page, 'trust-page.png');

    await page.getByRole('button', { name: 'Remove Vendor root' }).click();
    await page.waitForURL(/\/trust$/);
    assert.equal((await server.store.anchors.listAll()).length, 0);
  });

  it('refuses a form post without the CSRF token', async () => {
    const { server } = fixture;
    const res = await fetch(`${server.issuer}/trust`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'kind=key_attestation&material=x',
    });
    assert.equal(res.status, 403);
  });

  it('explains the test attester and shows its CA', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/test-attester`);
    const text = await page.locator('main').innerText();
    assert.match(text, /Test trust only/);
    assert.match(text, /BEGIN CERTIFICATE/);
    assert.match(text, /test-attester\/key-attestation/);
  });
});
