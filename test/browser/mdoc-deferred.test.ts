// Deferred mso_mdoc issuance in Chromium: the Supply Claims form generated from the mdoc claim
// definitions (typed inputs, JSON for structured elements, the sample portrait), its errors at
// [namespace, element], and the session page showing the decoded mdoc once it is issued.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Locator } from 'playwright-core';
import { ageVerificationMdoc, isoMdl, type MdocConfiguration, pidMdoc } from '../../src/formats/mso-mdoc/index.ts';
import { fieldName } from '../../src/ui/claim-fields.ts';
import { createOffer, PID_SD_JWT } from '../support/raw-wallet.ts';
import { playgroundCa } from '../support/verify-credential.ts';
import { verifyMdoc } from '../support/verify-mdoc.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';
import { type ConsoleFixture, createOfferThroughForm, screenshot, startConsole, stopConsole } from './console-helpers.ts';

const MDL = 'org.iso.18013.5.1';

/** Per configuration: how the tester changes one element in the form, and what the mdoc then holds. */
const cases: Array<{
  config: MdocConfiguration;
  element: [string, string];
  enter: (field: Locator) => Promise<void>;
  expected: unknown;
  shown: string;
}> = [
  {
    config: pidMdoc,
    element: ['eu.europa.ec.eudi.pid.1', 'given_name'],
    enter: (field) => field.fill('Ada'),
    expected: 'Ada',
    shown: 'Ada',
  },
  {
    config: isoMdl,
    element: [MDL, 'family_name'],
    enter: (field) => field.fill('Lovelace'),
    expected: 'Lovelace',
    shown: 'Lovelace',
  },
  {
    config: ageVerificationMdoc,
    element: ['eu.europa.ec.av.1', 'age_over_65'],
    enter: (field) => field.check(),
    expected: true,
    shown: 'true',
  },
];

describe('deferred mdoc claims supplied in the browser', () => {
  let fixture: ConsoleFixture;
  before(async () => {
    fixture = await startConsole();
  });
  after(() => stopConsole(fixture));

  it('the offer form lists every mdoc configuration and its twin; an mdoc offered there is issued and shown', async () => {
    const { server, browser } = fixture;
    const page = await browser.newPage();
    await page.goto(`${server.issuer}/`);
    for (const { config } of cases) {
      for (const id of [config.id, `${config.id}_deferred`])
        assert.equal(await page.locator(`input[value="${id}"]`).count(), 1, id);
    }
    const offer = await createOfferThroughForm(page, server, async (form) => {
      await form.locator(`input[value="${PID_SD_JWT}"]`).uncheck();
      await form.locator(`input[value="${isoMdl.id}"]`).check();
    });
    assert.deepEqual((await server.store.sessions.get(offer.sessionId))!.credential_configuration_ids, [isoMdl.id]);
    const wallet = await runPreAuthorizedFlow({ offerUri: offer.offerLink, ...(offer.txCode ? { txCode: offer.txCode } : {}) });
    assert.equal(wallet.credentialResponses[0]!.status, 200);
    await page.goto(`${server.issuer}/sessions/${offer.sessionId}`);
    const issued = page.locator('#issued-credentials .issued-credential');
    await issued.locator('summary').click();
    assert.equal(await issued.locator('.mdoc-doctype').innerText(), isoMdl.doctype);
  });

  for (const { config, element, enter, expected, shown } of cases) {
    it(`${config.id}: form → credential on the next poll → decoded on the session page`, async () => {
      const { server, browser } = fixture;
      const deferredId = `${config.id}_deferred`;
      const offer = await createOffer(server, { credential_configuration_ids: [deferredId] });
      const page = await browser.newPage();
      await page.goto(offer.session_url);
      const wallet = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
      const { transaction_id: transactionId } = wallet.credentialResponses[0]!.body as { transaction_id: string };
      await page.waitForSelector('form.claims-form');

      const form = () => page.locator(`form.claims-form[data-configuration="${deferredId}"]`);
      const field = (path: readonly string[]) => form().locator(`[name="${fieldName(path)}"]`);
      if (config === isoMdl) {
        // Typed inputs from the element types; a structured element that is no JSON is refused at its field.
        assert.equal(await field([MDL, 'birth_date']).getAttribute('type'), 'date');
        assert.equal(await field([MDL, 'height']).getAttribute('step'), '1');
        assert.equal(await field([MDL, 'age_over_18']).getAttribute('type'), 'checkbox');
        assert.equal(
          await form()
            .locator(`[name="${fieldName([MDL, 'portrait']).replace('claim.', 'sample.')}"]`)
            .isChecked(),
          true,
          'the sample portrait is the default',
        );
        await field([MDL, 'driving_privileges']).fill('[{"vehicle_category_code": "B"');
        await field([MDL, 'height']).fill('-3');
        await form().getByRole('button', { name: 'Supply claims and issue' }).click();
        await page.waitForSelector('.field.has-error');
        const errors = await form().locator('.field.has-error').allInnerTexts();
        assert.equal(errors.length, 1, errors.join(' | '));
        assert.match(errors[0]!, /Driving privileges[\s\S]*not valid JSON/);
        await field([MDL, 'driving_privileges']).fill('[{"vehicle_category_code": "B", "issue_date": "2002-09-17"}]');
        await form().getByRole('button', { name: 'Supply claims and issue' }).click();
        await page.waitForSelector('.field.has-error');
        assert.match(
          await form().locator('.field.has-error').innerText(),
          /Height[\s\S]*unsigned integer/,
          'the element type is checked',
        );
        assert.equal(await field([MDL, 'height']).inputValue(), '-3', 'entered values are kept');
        await screenshot(page, 'mdoc-claims-form.png');
        await field([MDL, 'height']).fill('170');
      }
      await enter(field(element));
      await form().getByRole('button', { name: 'Supply claims and issue' }).click();
      await page.waitForURL(/#supply-claims$/);
      assert.equal(await page.locator('form.claims-form').count(), 0, 'nothing is waiting any more');

      const ready = await wallet.pollDeferred(transactionId);
      assert.equal(ready.status, 200);
      const [{ credential }] = (ready.body as { credentials: Array<{ credential: string }> }).credentials as [
        { credential: string },
      ];
      const holderJwk = wallet.credentialResponses[0]!.holderKeys[0]!.publicJwk;
      const verified = await verifyMdoc(credential, {
        caPem: await playgroundCa(server.issuer),
        holderJwk,
        now: Date.now(),
        doctype: config.doctype,
      });
      assert.deepEqual(verified.namespaces[element[0]]![element[1]], expected);
      if (config === isoMdl) assert.equal(verified.namespaces[MDL]!.height, 170);

      await page.reload();
      const issued = page.locator('#issued-credentials .issued-credential').first();
      await issued.locator('summary').click();
      assert.equal(await issued.locator('.mdoc-doctype').innerText(), config.doctype);
      const row = issued.locator('.mdoc-namespace tr', { has: page.getByRole('rowheader', { name: element[1], exact: true }) });
      assert.equal(await row.locator('td').innerText(), shown);
      assert.match(await issued.innerText(), /Digest algorithm\s+SHA-256/);
      await screenshot(page, `mdoc-${config.id}.png`);
    });
  }
});
