// Revoke, suspend and reinstate from the session page in Chromium (forms with CSRF): each click
// changes the entry that a fresh, independently decoded fetch of the Token Status List shows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { decodeJwt } from 'jose';
import { authorizedWallet, credentialRequest, sessionFetch, validCredentialBody } from '../support/raw-wallet.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';
import { type ConsoleFixture, screenshot, startConsole, stopConsole } from './console-helpers.ts';

/** draft-ietf-oauth-status-list-14 Section 4.1: two bits per entry, least significant first. */
async function statusAt(uri: string, idx: number): Promise<number> {
  const { status_list: list } = decodeJwt(await (await fetch(uri)).text()) as { status_list: { bits: number; lst: string } };
  const bytes = inflateSync(Buffer.from(list.lst, 'base64url'));
  const bit = idx * list.bits;
  return (bytes[Math.floor(bit / 8)]! >> (bit % 8)) & ((1 << list.bits) - 1);
}

describe('credential status buttons on the session page', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('Revoke, Suspend and Reinstate change the status list bits; a form without its CSRF token is refused', async () => {
    const { server, browser } = fixture;
    const wallet = await authorizedWallet(server);
    const res = await credentialRequest(server, wallet, await validCredentialBody(server));
    assert.equal(res.status, 200);
    const credential = ((await res.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential;
    const ref = (
      (await verifySdJwtVc(credential, await playgroundCa(server.issuer))).payload.status as {
        status_list: { uri: string; idx: number };
      }
    ).status_list;

    const page = await browser.newPage();
    await page.goto(wallet.offer.session_url);
    const item = page.locator('details.issued-credential').first();
    assert.equal(await item.getAttribute('data-status'), 'valid');
    for (const [button, status, value] of [
      ['Revoke', 'invalid', 1],
      ['Reinstate', 'valid', 0],
      ['Suspend', 'suspended', 2],
    ] as const) {
      await page.locator('details.issued-credential summary').first().click();
      await page.locator('details.issued-credential').first().getByRole('button', { name: button }).click();
      await page.waitForLoadState('load');
      await page.waitForSelector(`details.issued-credential[data-status="${status}"]`);
      assert.equal(await statusAt(ref.uri, ref.idx), value, `${button}: a fresh fetch shows ${value}`);
    }
    assert.match(await page.locator('main').innerText(), /credential_status_changed/, 'the changes are on the timeline');
    await screenshot(page, 'credential-status.png');

    const id = await item.getAttribute('data-credential-id');
    const forged = await sessionFetch(server, wallet.offer, `/sessions/${wallet.offer.session_id}/credentials/${id}/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=valid',
    });
    assert.equal(forged.status, 403, 'no CSRF token, no change');
    assert.equal(await statusAt(ref.uri, ref.idx), 2);
    await page.close();
  });
});
