// The conformance report (issue 13): a clean flow by an independent wallet passes what it exercised
// and leaves the notification not exercised; every hostile request fails on its rule; draft-13
// dialects fail on their D13 rule; a HAIP session without a wallet attestation shows the WA rules.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  ath,
  authorizedWallet,
  cNonce,
  codeOf,
  createOffer,
  credentialRequest,
  dpopProof,
  keyProof,
  lastError,
  newKey,
  PID_JWT_VC,
  PID_SD_JWT,
  PRE_AUTH,
  type SessionCapability,
  sessionFetch,
  sessionLog,
  tokenRequest,
  validCredentialBody,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';

interface ReportRow {
  id: string;
  title: string;
  outcome: 'pass' | 'warn' | 'fail' | 'not_exercised';
  count: number;
  first_at: number | null;
  last_at: number | null;
  spec_ref: string;
  log_entry_ids: number[];
}
interface Report {
  session_id: string;
  profile: string;
  summary: Record<ReportRow['outcome'], number>;
  rules: ReportRow[];
  generated_at: string;
}

describe('conformance report', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function report(session: SessionCapability): Promise<Report> {
    const sessionId = session.session_id;
    const res = await sessionFetch(server, session, `/api/sessions/${sessionId}/report`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`filename="report-${sessionId}\\.json"`));
    return (await res.json()) as Report;
  }
  const row = (r: Report, id: string) => {
    const found = r.rules.find((x) => x.id === id);
    assert.ok(found, `${id} is in the report`);
    return found;
  };

  it('a clean flow by the @openid4vc wallet: pass for the DPoP, proof and token rules it ran; notification not exercised until it notifies', async () => {
    const offer = await createOffer(server, { grants: { pre_authorized_code: {} } });
    const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
    assert.equal(run.credentialResponses[0]!.status, 200);
    const r = await report(offer);
    assert.equal(r.session_id, offer.session_id);
    assert.equal(r.profile, 'oid4vci-1.0');
    assert.deepEqual(
      r.rules.filter((x) => x.outcome === 'fail' || x.outcome === 'warn').map((x) => x.id),
      [],
      'nothing failed or warned',
    );
    const ids = new Set((await sessionLog(server, offer.session_id)).map((e) => e.id));
    for (const id of [
      'TOK-01',
      'TOK-02',
      'TOK-03',
      'TOK-04',
      'TOK-06',
      'TOK-13',
      'DPOP-01',
      'DPOP-05',
      'DPOP-08',
      'DPOP-10',
      'DPOP-11',
      'DPOP-12',
      'PRF-01',
      'PRF-05',
      'PRF-07',
      'PRF-08',
      'CRED-06',
      'CRED-12',
    ]) {
      const x = row(r, id);
      assert.equal(x.outcome, 'pass', `${id} passed`);
      assert.ok(x.count >= 1 && x.first_at !== null && x.last_at! >= x.first_at, `${id} was counted with its times`);
      assert.ok(x.log_entry_ids.length > 0 && x.log_entry_ids.every((e) => ids.has(e)), `${id} links to entries of this session`);
      assert.ok(x.spec_ref && x.title, `${id} has its title and spec_ref`);
    }
    // DPoP runs at /token and at /credential: two evaluations.
    assert.equal(row(r, 'DPOP-10').count, 2);
    for (const id of ['NOT-01', 'NOT-02', 'NOT-03', 'NOT-04']) {
      assert.deepEqual(row(r, id), {
        ...row(r, id),
        outcome: 'not_exercised',
        count: 0,
        first_at: null,
        last_at: null,
        log_entry_ids: [],
      });
    }
    const summary = { pass: 0, warn: 0, fail: 0, not_exercised: 0 };
    for (const x of r.rules) summary[x.outcome]++;
    assert.deepEqual(r.summary, summary, 'the summary counts the rows');

    const notificationId = (run.credentialResponses[0]!.body as { notification_id: string }).notification_id;
    assert.equal(await run.notify(notificationId, 'credential_accepted'), 204);
    const notified = await report(offer);
    for (const id of ['NOT-01', 'NOT-02', 'NOT-03'])
      assert.equal(row(notified, id).outcome, 'pass', `${id} once the wallet notified`);
  });

  // Each hostile case of the endpoint tests, in a session of its own: the report fails its rule and links the refused request.
  const hostile: Array<{ rule: string; name: string; act: (s: TestServer) => Promise<SessionCapability> }> = [
    {
      rule: 'TOK-13',
      name: 'a token request without DPoP where DPoP is demanded',
      act: async (s) => {
        const offer = await createOffer(s);
        await tokenRequest(s, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) });
        return offer;
      },
    },
    {
      rule: 'TOK-04',
      name: 'a pre-authorized code redeemed twice',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        const key = await newKey();
        await tokenRequest(
          s,
          { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(wallet.offer) },
          { DPoP: await dpopProof(key, { htu: `${s.issuer}/token` }) },
        );
        return wallet.offer;
      },
    },
    {
      rule: 'TOK-07',
      name: 'a wrong tx_code',
      act: async (s) => {
        const offer = await createOffer(s, {
          grants: { pre_authorized_code: { tx_code: { input_mode: 'numeric', length: 6 } } },
        });
        const wrong = offer.tx_code === '000000' ? '111111' : '000000';
        const key = await newKey();
        await tokenRequest(
          s,
          { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), tx_code: wrong },
          { DPoP: await dpopProof(key, { htu: `${s.issuer}/token` }) },
        );
        return offer;
      },
    },
    {
      rule: 'DPOP-08',
      name: 'a DPoP proof for another URL',
      act: async (s) => {
        const offer = await createOffer(s);
        const key = await newKey();
        await tokenRequest(
          s,
          { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) },
          { DPoP: await dpopProof(key, { htu: `${s.issuer}/credential` }) },
        );
        return offer;
      },
    },
    {
      rule: 'DPOP-10',
      name: 'a replayed DPoP proof',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        const proof = await dpopProof(wallet.dpopKey, {
          htu: `${s.issuer}/credential`,
          ath: ath(wallet.accessToken),
          jti: randomUUID(),
        });
        const body = await validCredentialBody(s);
        await credentialRequest(s, wallet, body, { DPoP: proof });
        await credentialRequest(s, wallet, await validCredentialBody(s), { DPoP: proof });
        return wallet.offer;
      },
    },
    {
      rule: 'CRED-02',
      name: 'an access token in the query string',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        await fetch(`${s.issuer}/credential?access_token=${encodeURIComponent(wallet.accessToken)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        return wallet.offer;
      },
    },
    {
      rule: 'CRED-06',
      name: 'a configuration the token does not cover',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        await credentialRequest(s, wallet, await validCredentialBody(s, PID_JWT_VC));
        return wallet.offer;
      },
    },
    {
      rule: 'PRF-08',
      name: 'a proof with a nonce the issuer never gave out',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        const proof = await keyProof(await newKey(), { aud: s.issuer, nonce: randomUUID() });
        await credentialRequest(s, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } });
        return wallet.offer;
      },
    },
    {
      rule: 'PRF-07',
      name: 'a proof for another issuer',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        const proof = await keyProof(await newKey(), { aud: 'https://other.example', nonce: await cNonce(s) });
        await credentialRequest(s, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } });
        return wallet.offer;
      },
    },
    {
      rule: 'PRF-01',
      name: 'a proof with the wrong typ',
      act: async (s) => {
        const wallet = await authorizedWallet(s, { strict: true });
        const proof = await keyProof(await newKey(), { aud: s.issuer, nonce: await cNonce(s) }, { typ: 'JWT' });
        await credentialRequest(s, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } });
        return wallet.offer;
      },
    },
    {
      rule: 'D13-C1',
      name: 'a draft-13 request by format and vct',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        const proof = await keyProof(await newKey(), { aud: s.issuer, nonce: await cNonce(s) });
        await credentialRequest(s, wallet, {
          format: 'vc+sd-jwt',
          vct: 'urn:eudi:pid:1',
          proof: { proof_type: 'jwt', jwt: proof },
        });
        return wallet.offer;
      },
    },
    {
      rule: 'D13-C2',
      name: 'a draft-13 singular proof',
      act: async (s) => {
        const wallet = await authorizedWallet(s);
        const proof = await keyProof(await newKey(), { aud: s.issuer, nonce: await cNonce(s) });
        await credentialRequest(s, wallet, { credential_configuration_id: PID_SD_JWT, proof: { proof_type: 'jwt', jwt: proof } });
        return wallet.offer;
      },
    },
  ];

  for (const { rule, name, act } of hostile) {
    it(`${rule}: ${name} fails the rule and links the refused request`, async () => {
      const session = await act(server);
      const refused = await lastError(server, session.session_id);
      assert.ok(refused, 'the request was refused');
      const x = row(await report(session), rule);
      assert.equal(x.outcome, 'fail');
      assert.ok(x.log_entry_ids.includes(refused.entry.id), 'the failing entry is listed');
    });
  }

  it('a HAIP session whose wallet sends no wallet attestation: the WA rules are failed or not exercised', async () => {
    const offer = await createOffer(server, { profile: 'haip-1.0' });
    const key = await newKey();
    const form = { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) };
    // HAIP demands server DPoP nonces: the first try gets one, the second carries it and is refused for want of client authentication.
    const first = await tokenRequest(server, form, { DPoP: await dpopProof(key, { htu: `${server.issuer}/token` }) });
    assert.equal(first.status, 400);
    const nonce = first.headers.get('dpop-nonce')!;
    const token = await tokenRequest(server, form, { DPoP: await dpopProof(key, { htu: `${server.issuer}/token`, nonce }) });
    assert.equal(token.status, 401);
    const r = await report(offer);
    assert.equal(r.profile, 'haip-1.0');
    assert.equal(row(r, 'WA-14').outcome, 'fail', 'client authentication was demanded and missing');
    for (let n = 1; n <= 8; n++) {
      const id = `WA-0${n}`;
      assert.ok(['fail', 'not_exercised'].includes(row(r, id).outcome), `${id} is ${row(r, id).outcome}`);
    }
    assert.equal(row(r, 'DPOP-13').outcome, 'fail', 'the first proof had no server nonce');
    for (const id of ['KA-01', 'PRF-12', 'NOT-01'])
      assert.equal(row(r, id).outcome, 'not_exercised', `${id}: HAIP expects it, the wallet never got there`);
  });

  it('prints as one HTML page that links each rule to its log entries and to /diagnostics', async () => {
    const wallet = await authorizedWallet(server);
    const proof = await keyProof(await newKey(), { aud: server.issuer, nonce: randomUUID() });
    await credentialRequest(server, wallet, { credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } });
    const refused = (await lastError(server, wallet.offer.session_id))!;
    const res = await sessionFetch(server, wallet.offer, `/sessions/${wallet.offer.session_id}/report`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    const html = await res.text();
    assert.match(html, /href="\/diagnostics#rule-PRF-08"/);
    const entryHref = `/sessions/${wallet.offer.session_id}/log/${refused.entry.id}`;
    assert.match(html, new RegExp(`href="${entryHref}"`));
    const entry = await sessionFetch(server, wallet.offer, entryHref, { redirect: 'manual' });
    assert.equal(entry.status, 303);
    assert.equal(entry.headers.get('location'), `/sessions/${wallet.offer.session_id}#log-${refused.entry.id}`);
    assert.equal(
      (await sessionFetch(server, wallet.offer, `/sessions/${wallet.offer.session_id}/log/1`, { redirect: 'manual' })).status,
      404,
      'an entry of another session',
    );
    assert.equal(
      (await fetch(`${server.issuer}/sessions/${wallet.offer.session_id}/report`)).status,
      404,
      'not without the capability',
    );
    assert.match(html, new RegExp(`href="/api/sessions/${wallet.offer.session_id}/report"`), 'links the JSON download');
    const unknown = await fetch(`${server.issuer}/api/sessions/nope/report`);
    assert.equal(unknown.status, 404);
  });
});
