// Two playground processes on one PostgreSQL schema behind a round-robin proxy: flows complete
// whichever node each request lands on, single-use values stay single-use across nodes, and live
// pages on one node show what the other wrote. Runs in the suite's PostgreSQL pass.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JWK } from 'jose';
import { launchBrowser } from '../support/browser.ts';
import { type Cluster, startCluster } from '../support/cluster.ts';
import {
  ath,
  authorizedWallet,
  cNonce,
  codeOf,
  createOffer,
  dpopProof,
  keyProof,
  newKey,
  PID_SD_JWT,
  PRE_AUTH,
  type SessionCapability,
  sessionFetch,
  supplyClaimsApi,
  type Target,
  tokenRequest,
} from '../support/raw-wallet.ts';
import { TEST_ENGINE } from '../support/server.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';
import { runPreAuthorizedFlow } from '../support/wallet.ts';

type CredentialsBody = { credentials: Array<{ credential: string }> };
const RACE = 50;
const skip =
  TEST_ENGINE === 'postgres' ? false : 'several nodes need PostgreSQL: the suite runs this in its PostgreSQL pass (DATABASE_URL)';

describe('two nodes behind a round-robin proxy', { skip }, () => {
  let cluster: Cluster;
  let caPem: string;
  let viaProxy: Target;
  let nodeA: Target;
  let nodeB: Target;
  before(async () => {
    cluster = await startCluster(2);
    viaProxy = { issuer: cluster.issuer };
    nodeA = { issuer: cluster.issuer, via: cluster.nodes[0]!.origin };
    nodeB = { issuer: cluster.issuer, via: cluster.nodes[1]!.origin };
    caPem = await playgroundCa(cluster.issuer);
  });
  after(() => cluster?.close());

  const post = async (target: Target, path: string, body: unknown) => {
    const res = await fetch(`${target.via ?? target.issuer}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as Record<string, string>;
  };
  const statusCounts = (responses: Response[]) =>
    responses.reduce<Record<number, number>>((counts, r) => {
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      return counts;
    }, {});
  /** Alternates the targets, so half the racing requests hit each node. */
  const spread = <T>(count: number, request: (target: Target, i: number) => Promise<T>) =>
    Promise.all(Array.from({ length: count }, (_, i) => request(i % 2 === 0 ? nodeA : nodeB, i)));

  it('the independent wallet completes the pre-authorized flow with requests on both nodes', async () => {
    const before = [...cluster.proxy.served];
    const offer = await createOffer(viaProxy, { dpop_nonce: true });
    const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
    assert.equal(run.credentialResponses[0]!.status, 200, JSON.stringify(run.credentialResponses[0]!.body));
    const credential = (run.credentialResponses[0]!.body as CredentialsBody).credentials[0]!.credential;
    assert.equal((await verifySdJwtVc(credential, caPem)).payload.iss, cluster.issuer);
    assert.ok(
      cluster.proxy.served.every((n, i) => n > before[i]!),
      `both nodes served: ${cluster.proxy.served.join(' / ')}`,
    );
  });

  it('deferred issuance: claims supplied through the API of one node reach the wallet polling through the proxy', async () => {
    const offer = await createOffer(viaProxy, { credential_configuration_ids: [`${PID_SD_JWT}_deferred`] });
    const run = await runPreAuthorizedFlow({ offerUri: offer.offer_link });
    assert.equal(run.credentialResponses[0]!.status, 202);
    const { transaction_id: transactionId } = run.credentialResponses[0]!.body as { transaction_id: string };
    assert.equal((await run.pollDeferred(transactionId)).status, 202);
    const claims = {
      family_name: 'Lovelace',
      given_name: 'Ada',
      birthdate: '1815-12-10',
      nationalities: ['GB'],
      issuing_authority: 'GB',
      issuing_country: 'GB',
    };
    assert.equal(
      (await supplyClaimsApi(nodeB, offer, { credential_configuration_id: `${PID_SD_JWT}_deferred`, claims })).status,
      200,
    );
    const ready = await run.pollDeferred(transactionId);
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    const issued = await verifySdJwtVc((ready.body as CredentialsBody).credentials[0]!.credential, caPem);
    assert.equal(issued.claims.given_name, 'Ada');
  });

  it('key and wallet attestations from the test attester work whichever node checks them', async () => {
    const offer = await createOffer(viaProxy, { require_key_attestation: true, require_wallet_attestation: true });
    const run = await runPreAuthorizedFlow({
      offerUri: offer.offer_link,
      batch: 2,
      keyAttestation: {
        form: 'jwt',
        obtain: async (attested_keys: JWK[], nonce: string) =>
          (await post(viaProxy, '/test-attester/key-attestation', { attested_keys, nonce })).key_attestation!,
      },
      walletAttestation: {
        obtain: async (wallet_instance_jwk: JWK) =>
          (await post(viaProxy, '/test-attester/wallet-attestation', { client_id: 'wallet-1', wallet_instance_jwk }))
            .wallet_attestation!,
      },
    });
    assert.equal(run.credentialResponses[0]!.status, 200, JSON.stringify(run.credentialResponses[0]!.body));
    assert.equal((run.credentialResponses[0]!.body as CredentialsBody).credentials.length, 2);
  });

  it(`TOK-04: one pre-authorized code redeemed ${RACE} times at once on both nodes succeeds once`, async () => {
    const offer = await createOffer(viaProxy);
    const responses = await spread(RACE, async (target) => {
      const key = await newKey();
      return tokenRequest(
        target,
        { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) },
        { DPoP: await dpopProof(key, { htu: `${cluster.issuer}/token` }) },
      );
    });
    assert.deepEqual(statusCounts(responses), { 200: 1, 400: RACE - 1 });
  });

  it(`PRF-08: one c_nonce spent by ${RACE} credential requests at once on both nodes succeeds once`, async () => {
    const wallet = await authorizedWallet(viaProxy);
    const nonce = await cNonce(viaProxy);
    const responses = await spread(RACE, async (target) => {
      const proof = await keyProof(await newKey(), { aud: cluster.issuer, nonce });
      const dpop = await dpopProof(wallet.dpopKey, { htu: `${cluster.issuer}/credential`, ath: ath(wallet.accessToken) });
      return fetch(`${target.via}/credential`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `DPoP ${wallet.accessToken}`, DPoP: dpop },
        body: JSON.stringify({ credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } }),
      });
    });
    assert.deepEqual(statusCounts(responses), { 200: 1, 400: RACE - 1 });
  });

  it(`DPOP-10: one DPoP proof presented ${RACE} times at once on both nodes is accepted once`, async () => {
    const offers = await Promise.all(Array.from({ length: RACE }, () => createOffer(viaProxy)));
    const proof = await dpopProof(await newKey(), { htu: `${cluster.issuer}/token` });
    const responses = await spread(RACE, (target, i) =>
      tokenRequest(target, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offers[i]!) }, { DPoP: proof }),
    );
    assert.deepEqual(statusCounts(responses), { 200: 1, 400: RACE - 1 });
  });

  it('a session page on node A shows, live, a request that node B served', async () => {
    const offer = await createOffer(viaProxy, { require_dpop: false });
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(`${nodeA.via}/sessions/${offer.session_id}?session_token=${offer.session_token}`);
      await page.waitForSelector('#live-state:has-text("Live:")');
      await tokenRequest(nodeB, { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), wallet_note: 'served-by-node-b' });
      await page.waitForFunction(() => document.querySelectorAll('#log-entries .entry.new').length > 0, undefined, {
        timeout: 10_000,
      });
      assert.match((await page.locator('#log-entries').textContent()) ?? '', /served-by-node-b/);
    } finally {
      await browser.close();
    }
  });

  it('kill -9 of one node under load: the other keeps serving and nothing committed is lost', async () => {
    const completed: Array<{ session: SessionCapability; credential: string }> = [];
    let failedAfterKill = 0;
    let killed = false;
    const deadline = Date.now() + 6000;
    const loop = async () => {
      while (Date.now() < deadline) {
        try {
          const wallet = await authorizedWallet(viaProxy);
          const proof = await keyProof(await newKey(), { aud: cluster.issuer, nonce: await cNonce(viaProxy) });
          const dpop = await dpopProof(wallet.dpopKey, { htu: `${cluster.issuer}/credential`, ath: ath(wallet.accessToken) });
          const res = await fetch(`${cluster.issuer}/credential`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `DPoP ${wallet.accessToken}`, DPoP: dpop },
            body: JSON.stringify({ credential_configuration_id: PID_SD_JWT, proofs: { jwt: [proof] } }),
          });
          if (res.status === 200)
            completed.push({
              session: wallet.offer,
              credential: ((await res.json()) as CredentialsBody).credentials[0]!.credential,
            });
          else if (killed) failedAfterKill++;
        } catch {
          if (killed) failedAfterKill++;
        }
      }
    };
    const load = Promise.all(Array.from({ length: 4 }, loop));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const beforeKill = completed.length;
    cluster.nodes[0]!.process.kill('SIGKILL');
    killed = true;
    await load;
    assert.ok(beforeKill > 0, 'flows completed before the kill');
    assert.ok(
      completed.length > beforeKill + 5,
      `node B kept serving: ${completed.length - beforeKill} flows after the kill (${failedAfterKill} requests were cut)`,
    );
    for (const { session: capability, credential } of completed) {
      const sessionId = capability.session_id;
      const res = await sessionFetch(nodeB, capability, `/api/sessions/${sessionId}`);
      const session = (await res.json()) as { session: { status: string }; issued_credentials: unknown[] };
      assert.equal(session.session.status, 'credential_issued', `session ${sessionId} kept its state`);
      assert.equal(session.issued_credentials.length, 1);
      await verifySdJwtVc(credential, caPem);
    }
  });
});
