// The whole pre-authorized flow driven by the independent @openid4vc/openid4vci client
// against a real listening server, with every issued credential verified independently.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calculateJwkThumbprint } from 'jose';
import { createOffer, DIPLOMA, PID_JWT_VC, PID_SD_JWT, sessionLog, sessionRecords } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifyJwtVc, verifySdJwtVc } from '../support/verify-credential.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';

type CredentialsBody = { credentials: Array<{ credential: string }> };

describe('pre-authorized flow with the @openid4vc client', () => {
  let server: TestServer;
  let caPem: string;
  before(async () => {
    server = await startServer();
    caPem = await playgroundCa(server.issuer);
  });
  after(() => server.close());

  it('issues a verifiable SD-JWT VC, JWT VC and diploma through offer by reference, DPoP token, nonce and credential', async () => {
    const offer = await createOffer(server, {
      credential_configuration_ids: [PID_SD_JWT, PID_JWT_VC, DIPLOMA],
      grants: { pre_authorized_code: { tx_code: { input_mode: 'numeric', length: 6, description: 'Code from the letter' } } },
      claims: {
        [DIPLOMA]: {
          given_name: 'Ada',
          family_name: 'Lovelace',
          degree: 'MSc',
          field_of_study: 'Mathematics',
          graduation_date: '1843-09-01',
        },
      },
    });
    assert.match(offer.tx_code!, /^\d{6}$/, 'OFF-08: tx_code fits input_mode and length');
    assert.ok(offer.offer_link.startsWith('openid-credential-offer://?credential_offer_uri='));

    const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link, txCode: offer.tx_code! });
    assert.equal(run.tokenType, 'DPoP');
    assert.equal(run.issuerMetadata.originalDraftVersion, 'V1', 'the client recognises the issuer as OID4VCI 1.0');
    assert.deepEqual(
      run.credentialResponses.map((r) => r.status),
      [200, 200, 200],
    );

    const [pid, jwtVc, diploma] = run.credentialResponses.map((r) => (r.body as CredentialsBody).credentials);
    const sd = await verifySdJwtVc(pid![0]!.credential, caPem);
    assert.equal(sd.payload.vct, 'urn:eudi:pid:1', 'FMT-SD-03');
    assert.equal(sd.payload.iss, server.issuer);
    assert.equal(
      sd.holderJkt,
      await calculateJwkThumbprint(run.credentialResponses[0]!.holderKeys[0]!.publicJwk),
      'FMT-SD-05: cnf.jwk is the proof key',
    );
    assert.equal(sd.claims.family_name, 'Mustermann');
    assert.deepEqual(sd.claims.address, {
      street_address: 'Heidestraße 17',
      locality: 'Köln',
      postal_code: '51147',
      country: 'DE',
    });
    for (const clear of ['iss', 'iat', 'exp', 'vct', 'cnf'])
      assert.ok(clear in sd.payload, `FMT-SD-04: ${clear} is not selectively disclosable`);
    assert.ok(!('family_name' in sd.payload), 'subject claims are selectively disclosable');
    assert.ok(sd.disclosures.length >= 12);

    const vc = await verifyJwtVc(jwtVc![0]!.credential, caPem);
    assert.deepEqual((vc.payload.vc as { type: string[] }).type, ['VerifiableCredential', 'EuropeanPersonIdentificationData']);
    assert.equal(vc.claims.given_name, 'Erika');
    assert.equal(vc.holderJkt, await calculateJwkThumbprint(run.credentialResponses[1]!.holderKeys[0]!.publicJwk));

    const degree = await verifySdJwtVc(diploma![0]!.credential, caPem);
    assert.equal(degree.claims.given_name, 'Ada', 'claims given at offer time are issued');

    const session = (await server.store.sessions.get(offer.session_id))!;
    assert.equal(session.status, 'credential_issued');
    const events = (await server.store.events.list(offer.session_id)).map((e) => e.type).reverse();
    assert.deepEqual(events, [
      'offer_created',
      'offer_retrieved',
      'token_exchanged',
      'credential_issued',
      'credential_issued',
      'credential_issued',
    ]);
    const log = await sessionLog(server, offer.session_id);
    const kinds = new Set(log.flatMap((e) => e.records.map((r) => r.kind)));
    for (const kind of ['request', 'check', 'state', 'issued'] as const) assert.ok(kinds.has(kind), `log has ${kind} records`);
    const subjects = (await sessionRecords(server, offer.session_id, 'check')).map((c) => c.subject);
    for (const subject of ['DPoP proof', 'Token request', 'Access token', 'Credential request', 'Key proof 0'])
      assert.ok(subjects.includes(subject), `a check of "${subject}"`);
    assert.equal((await sessionRecords(server, offer.session_id, 'issued')).length, 3, 'one issued record per configuration');
  });

  it('issues a batch: one credential per proof key, distinct salts (CRED-20, PRF-14)', async () => {
    const offer = await createOffer(server);
    const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link, batch: 3 });
    const { credentials } = run.credentialResponses[0]!.body as CredentialsBody;
    assert.equal(credentials.length, 3);
    const verified = await Promise.all(credentials.map((c) => verifySdJwtVc(c.credential, caPem)));
    const proofKeys = await Promise.all(run.holderKeys.map((k) => calculateJwkThumbprint(k.publicJwk)));
    assert.deepEqual(verified.map((v) => v.holderJkt).sort(), proofKeys.sort());
    const salts = verified.flatMap((v) => v.disclosures.map((d) => d[0]));
    assert.equal(new Set(salts).size, salts.length, 'FMT-SD-09: salts are unique');
  });

  it('makes the wallet retry with a server DPoP nonce when the offer demands one (DPOP-13)', async () => {
    const offer = await createOffer(server, { dpop_nonce: true });
    const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
    assert.equal(run.credentialResponses[0]!.status, 200);
    const rejections = await sessionRecords(server, offer.session_id, 'rejection');
    assert.ok(
      rejections.some((r) => r.diagnostic === 'DPOP-13'),
      'the nonce challenge is logged and explained',
    );
  });
});
