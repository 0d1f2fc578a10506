// Offers by reference (default) or by value (OFF-01, OID4VCI 1.0 Section 4.1) and under the
// openid-credential-offer:// or haip-vci:// scheme (OFF-10, HAIP 1.0 Section 4.2), through the API
// and the form; a by-value offer is redeemed by the independent @openid4vc client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { submitOfferForm } from '../../src/ui/offer-form.ts';
import { createOffer, PID_SD_JWT, sessionFetch } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';

/** The query of a wallet invocation URL, whatever its scheme. */
const queryOf = (link: string) => new URLSearchParams(link.slice(link.indexOf('?') + 1));

describe('offer delivery and scheme', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('OFF-01: by reference by default, with exactly the credential_offer_uri parameter', async () => {
    const offer = await createOffer(server);
    assert.ok(offer.offer_link.startsWith('openid-credential-offer://?'));
    assert.deepEqual([...queryOf(offer.offer_link).keys()], ['credential_offer_uri']);
    assert.equal(queryOf(offer.offer_link).get('credential_offer_uri'), offer.credential_offer_uri);
  });

  it('OFF-01: by value, the link carries the offer object itself, and the independent client redeems it', async () => {
    const offer = await createOffer(server, { offer_delivery: 'by_value' });
    const query = queryOf(offer.offer_link);
    assert.deepEqual([...query.keys()], ['credential_offer'], 'exactly one of credential_offer and credential_offer_uri');
    assert.deepEqual(JSON.parse(query.get('credential_offer')!), offer.credential_offer);
    const listed = (await (await sessionFetch(server, offer, `/api/sessions/${offer.session_id}`)).json()) as {
      offer_link: string;
    };
    assert.equal(listed.offer_link, offer.offer_link, 'the session API shows the same link');
    const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
    assert.deepEqual(
      run.credentialResponses.map((r) => r.status),
      [200],
    );
  });

  it('OFF-10: haip-vci:// as the scheme, by reference or by value', async () => {
    const byReference = await createOffer(server, { offer_scheme: 'haip-vci' });
    assert.ok(byReference.offer_link.startsWith('haip-vci://?credential_offer_uri='), byReference.offer_link);
    const byValue = await createOffer(server, { offer_scheme: 'haip-vci', offer_delivery: 'by_value' });
    assert.ok(byValue.offer_link.startsWith('haip-vci://?credential_offer='), byValue.offer_link);
    const page = await (await sessionFetch(server, byValue, `/sessions/${byValue.session_id}/offer`)).text();
    assert.ok(page.includes('haip-vci://?credential_offer='), 'the offer page shows the haip-vci link');
  });

  it('the offer form sends delivery, scheme and require_encryption; unknown values are refused by the API', async () => {
    const result = submitOfferForm({
      credential_configuration_ids: PID_SD_JWT,
      profile: 'oid4vci-1.0',
      tx_code_mode: 'none',
      offer_delivery: 'by_value',
      offer_scheme: 'haip-vci',
      require_encryption: 'true',
    });
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.deepEqual(
      [result.request.offer_delivery, result.request.offer_scheme, result.request.require_encryption],
      ['by_value', 'haip-vci', true],
    );
    const res = await fetch(`${server.issuer}/credential_offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_ids: [PID_SD_JWT], offer_scheme: 'haip' }),
    });
    assert.equal(res.status, 400);
  });
});
