// The three mso_mdoc configurations end to end with the independent @openid4vc client (which asks
// for mso_mdoc by credential_configuration_id like any 1.0 configuration): immediate and deferred,
// single and batch, with key attestations in both forms. Every mdoc is verified by @auth0/mdl
// (test/support/verify-mdoc.ts) through its x5chain to the CA served at /certificates/ca.pem.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { ageVerificationMdoc, isoMdl, type MdocConfiguration, pidMdoc } from '../../src/formats/mso-mdoc/index.ts';
import { loadLogContext, logEntryView } from '../../src/ui/log-entry-view.ts';
import { withItemByteChanged } from '../support/mdoc-bytes.ts';
import { createOffer, sessionLog, supplyClaimsApi } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa } from '../support/verify-credential.ts';
import { type VerifiedMdoc, verifyMdoc } from '../support/verify-mdoc.ts';
import { type CredentialResponseRecord, runPreAuthorizedFlow } from '../support/wallet.ts';

type CredentialsBody = { credentials: Array<{ credential: string }>; notification_id: string };
const DAY_MS = 24 * 60 * 60 * 1000;

/** Per configuration: one element to change when the tester supplies claims. */
const cases: Array<{ config: MdocConfiguration; element: [string, string]; supplied: unknown }> = [
  { config: pidMdoc, element: ['eu.europa.ec.eudi.pid.1', 'family_name'], supplied: 'Lovelace' },
  { config: isoMdl, element: ['org.iso.18013.5.1', 'family_name'], supplied: 'Lovelace' },
  { config: ageVerificationMdoc, element: ['eu.europa.ec.av.1', 'age_over_65'], supplied: true },
];

describe('mso_mdoc issuance with the @openid4vc client', () => {
  let server: TestServer;
  let caPem: string;
  before(async () => {
    server = await startServer();
    caPem = await playgroundCa(server.issuer);
  });
  after(() => server.close());

  /** Verifies every credential of a response against its request's proof keys: one each, none twice. */
  async function verifiedCredentials(
    response: { body: unknown; holderKeys: Array<{ publicJwk: JWK }> },
    config: MdocConfiguration,
  ) {
    const { credentials } = response.body as CredentialsBody;
    const holderJwk = response.holderKeys.map((key) => key.publicJwk);
    assert.equal(credentials.length, holderJwk.length, 'CRED-20: one credential per proof key');
    const verified = await Promise.all(credentials.map(({ credential }) => verify(credential, config, holderJwk)));
    const keyIndexes = verified.map((v) => v.holderKeyIndex).sort();
    assert.deepEqual(
      keyIndexes,
      holderJwk.map((_, i) => i),
      'FMT-MD-03: each device key is a distinct proof key',
    );
    return { credentials: credentials.map((c) => c.credential), verified };
  }

  const verify = (credential: string, config: MdocConfiguration, holderJwk: JWK | JWK[]) =>
    verifyMdoc(credential, { caPem, holderJwk, now: Date.now(), doctype: config.doctype });

  const item = (verified: VerifiedMdoc, [namespace, element]: [string, string]) =>
    verified.items[namespace]!.find((candidate) => candidate.elementIdentifier === element)!;

  const post = async (path: string, body: unknown) => {
    const headers = { 'content-type': 'application/json' };
    const res = await fetch(`${server.issuer}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Record<string, string>;
  };
  const testAttesterKeyAttestation = async (attested_keys: JWK[], nonce: string) =>
    (await post('/test-attester/key-attestation', { attested_keys, nonce, key_storage: ['iso_18045_high'] })).key_attestation!;

  for (const { config, element, supplied } of cases) {
    describe(config.id, () => {
      it('immediate: verifies through the chain, digests, device key and validity; a changed element does not', async () => {
        const offer = await createOffer(server, { credential_configuration_ids: [config.id] });
        const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
        const response = run.credentialResponses[0]!;
        assert.equal(response.status, 200, JSON.stringify(response.body));
        const {
          credentials: [credential],
          verified: [verified],
        } = await verifiedCredentials(response, config);
        assert.match(credential!, /^[A-Za-z0-9_-]+$/, 'FMT-MD-01: base64url without padding');
        assert.deepEqual(verified!.namespaces[element[0]]![element[1]], config.sample[element[0]]![element[1]]);
        const { validFrom, validUntil } = verified!.mso.validityInfo;
        assert.equal(validUntil.getTime() - validFrom.getTime(), config.validity_days * DAY_MS);
        const tampered = withItemByteChanged(credential!, item(verified!, element).itemBytes);
        await assert.rejects(verify(tampered, config, response.holderKeys[0]!.publicJwk), /digest/, 'a changed element fails');
        const entries = await sessionLog(server, offer.session_id);
        const issuedEntry = entries.find((e) => e.records.some((r) => r.kind === 'issued' && r.format === 'mso_mdoc'))!;
        const view = logEntryView(issuedEntry, await loadLogContext(server.store, [issuedEntry], '/diagnostics', Date.now()));
        const issuedRecord = view.records.find((r) => r.kind === 'issued')!;
        assert.deepEqual(
          issuedRecord.mdocs.map((m) => m.doctype),
          [config.doctype],
          'the log decodes it by its format',
        );
      });

      it('batch with the attestation proof type: the attested keys become the device keys (KA-08)', async () => {
        const offer = await createOffer(server, { credential_configuration_ids: [config.id], require_key_attestation: true });
        const keyAttestation = { form: 'attestation' as const, obtain: testAttesterKeyAttestation };
        const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link, batch: 3, keyAttestation });
        assert.equal(run.credentialResponses[0]!.status, 200, JSON.stringify(run.credentialResponses[0]!.body));
        await verifiedCredentials(run.credentialResponses[0]!, config);
      });

      it('batch of jwt proofs with key_attestation headers', async () => {
        const demand = { key_storage: ['iso_18045_high'] };
        const offer = await createOffer(server, { credential_configuration_ids: [config.id], require_key_attestation: demand });
        const keyAttestation = { form: 'jwt' as const, obtain: testAttesterKeyAttestation };
        const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link, batch: 2, keyAttestation });
        assert.equal(run.credentialResponses[0]!.status, 200, JSON.stringify(run.credentialResponses[0]!.body));
        await verifiedCredentials(run.credentialResponses[0]!, config);
      });

      it('deferred batch: 202, claims through the API (problems at [namespace, element]), then the credentials', async () => {
        const deferredId = `${config.id}_deferred`;
        const offer = await createOffer(server, { credential_configuration_ids: [deferredId] });
        const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link, batch: 2 });
        const accepted: CredentialResponseRecord = run.credentialResponses[0]!;
        assert.equal(accepted.status, 202);
        const { transaction_id: transactionId } = accepted.body as { transaction_id: string };

        const claims = structuredClone(config.sample);
        claims[element[0]]![element[1]] = 42;
        const refused = await supplyClaimsApi(server, offer, { credential_configuration_id: deferredId, claims });
        assert.equal(refused.status, 400);
        const { problems } = (await refused.json()) as { problems: Array<{ claim_path: string[] }> };
        assert.deepEqual(
          problems.map((p) => p.claim_path),
          [element],
        );

        claims[element[0]]![element[1]] = supplied;
        assert.equal((await supplyClaimsApi(server, offer, { credential_configuration_id: deferredId, claims })).status, 200);
        const ready = await run.pollDeferred(transactionId);
        assert.equal(ready.status, 200);
        assert.ok((ready.body as CredentialsBody).notification_id, 'DEF-05');
        const { verified } = await verifiedCredentials({ body: ready.body, holderKeys: accepted.holderKeys }, config);
        for (const one of verified) assert.deepEqual(one.namespaces[element[0]]![element[1]], supplied);
      });
    });
  }
});
