// Deferred issuance (DEF-*), tester-supplied claims and the automatic plans, with raw requests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizedWallet,
  credentialRequest,
  lastError,
  newKey,
  PID_SD_JWT,
  resourceRequest,
  sessionLog,
  supplyClaimsApi,
  validCredentialBody,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';

const PID_DEFERRED = `${PID_SD_JWT}_deferred`;

describe('/deferred_credential', () => {
  let server: TestServer;
  let caPem: string;
  before(async () => {
    server = await startServer();
    caPem = await playgroundCa(server.issuer);
  });
  after(() => server.close());

  /** A wallet whose deferred credential request was accepted with 202. */
  async function deferredWallet(offerBody: Record<string, unknown> = {}) {
    const holder = await newKey();
    const wallet = await authorizedWallet(server, { credential_configuration_ids: [PID_DEFERRED], ...offerBody });
    const res = await credentialRequest(server, wallet, await validCredentialBody(server, PID_DEFERRED, holder));
    assert.equal(res.status, 202, 'CRED-21');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = (await res.json()) as { transaction_id: string; interval: number; credentials?: unknown };
    assert.equal(body.credentials, undefined, 'CRED-21: never mixed with credentials');
    return { ...wallet, holder, transactionId: body.transaction_id, interval: body.interval };
  }
  const poll = (
    wallet: Awaited<ReturnType<typeof deferredWallet>>,
    body: unknown = { transaction_id: wallet.transactionId },
    headers: Record<string, string> = {},
  ) => resourceRequest(server, '/deferred_credential', wallet, body, headers);

  async function expectError(res: Response, status: number, error: string, diagnosticId: string, sessionId: string | null) {
    assert.equal(res.status, status, diagnosticId);
    assert.equal(((await res.json()) as { error: string }).error, error);
    assert.equal((await lastError(server, sessionId))!.diagnostic, diagnosticId);
  }

  it('DEF-04: answers 202 with the same transaction_id while pending and logs repeated polls as one entry', async () => {
    const wallet = await deferredWallet();
    assert.equal(wallet.interval, 5);
    assert.equal((await server.store.sessions.get(wallet.offer.session_id))!.status, 'awaiting_claims');
    for (let i = 0; i < 4; i++) {
      const res = await poll(wallet);
      assert.equal(res.status, 202);
      assert.deepEqual(await res.json(), { transaction_id: wallet.transactionId, interval: 5 });
    }
    const entries = (await sessionLog(server, wallet.offer.session_id)).filter((e) => e.endpoint === '/deferred_credential');
    assert.equal(entries.length, 1, 'four pending polls make one log entry');
    const polls = entries[0]!.records[0]!;
    assert.equal(polls.kind, 'polls');
    assert.equal(polls.kind === 'polls' && polls.polls, 4);
    assert.equal(entries[0]!.level, 'warn', 'DEF-11: polling faster than interval is a warning');
    assert.equal(polls.kind === 'polls' && polls.too_fast_polls, 3);
  });

  it('DEF-02 / DEF-03 / DEF-08 / CRED-04: transaction and token checks', async () => {
    const wallet = await deferredWallet();
    const sid = wallet.offer.session_id;
    await expectError(await poll(wallet, {}), 400, 'invalid_credential_request', 'DEF-02', sid);
    await expectError(await poll(wallet, { transaction_id: 'nope' }), 400, 'invalid_transaction_id', 'DEF-03.unknown', sid);
    const other = await authorizedWallet(server, { credential_configuration_ids: [PID_DEFERRED] });
    await expectError(
      await resourceRequest(server, '/deferred_credential', other, { transaction_id: wallet.transactionId }),
      400,
      'invalid_transaction_id',
      'DEF-08',
      other.offer.session_id,
    );
    const bearer = await poll(
      wallet,
      { transaction_id: wallet.transactionId },
      { authorization: `Bearer ${wallet.accessToken}` },
    );
    await expectError(bearer, 401, 'invalid_token', 'CRED-04.scheme', sid);
    await expectError(
      await poll(wallet, { transaction_id: wallet.transactionId, credential_response_encryption: { enc: 'A128GCM' } }),
      400,
      'invalid_encryption_parameters',
      'ENC-01.malformed',
      sid,
    );
  });

  it('claims API: validates claims, completes the transaction, the wallet gets a credential with them once (DEF-05, DEF-03)', async () => {
    const wallet = await deferredWallet();
    const sid = wallet.offer.session_id;
    const bad = await supplyClaimsApi(server, wallet.offer, {
      credential_configuration_id: PID_DEFERRED,
      claims: { given_name: 'Ada', birthdate: '10.12.1815' },
    });
    assert.equal(bad.status, 400);
    const problems = ((await bad.json()) as { problems: Array<{ path: string }> }).problems.map((p) => p.path);
    assert.ok(problems.includes('birthdate') && problems.includes('family_name'));
    const claims = {
      ...(await import('../../src/issuance/configurations.ts')).findConfiguration(PID_SD_JWT)!.sample,
      given_name: 'Ada',
      family_name: 'Lovelace',
    };
    const ok = await supplyClaimsApi(server, wallet.offer, { credential_configuration_id: PID_DEFERRED, claims });
    assert.equal(ok.status, 200);
    assert.deepEqual(((await ok.json()) as { completed_transaction_ids: string[] }).completed_transaction_ids, [
      wallet.transactionId,
    ]);
    assert.equal(
      (await supplyClaimsApi(server, wallet.offer, { credential_configuration_id: PID_DEFERRED, claims })).status,
      409,
      'nothing waiting any more',
    );

    const ready = await poll(wallet);
    assert.equal(ready.status, 200);
    const body = (await ready.json()) as { credentials: Array<{ credential: string }>; notification_id: string };
    assert.ok(body.notification_id, 'DEF-05: notification_id with the credentials');
    const verified = await verifySdJwtVc(body.credentials[0]!.credential, caPem);
    assert.equal(verified.claims.family_name, 'Lovelace');
    assert.equal(verified.payload.vct, 'urn:eudi:pid:1');
    await expectError(await poll(wallet), 400, 'invalid_transaction_id', 'DEF-03.retrieved', sid);
    const events = (await server.store.events.list(sid)).map((e) => e.type);
    assert.ok(events.includes('claims_supplied') && events.includes('deferred_credential_issued'));
  });

  it('automatic plans: ready after N polls, ready after 0 s, or denied (DEF-06)', async () => {
    const byPolls = await deferredWallet({ deferred: { ready_after_polls: 2 } });
    assert.equal((await poll(byPolls)).status, 202);
    assert.equal((await poll(byPolls)).status, 200);

    const bySeconds = await deferredWallet({ deferred: { ready_after_seconds: 0 } });
    assert.equal((await poll(bySeconds)).status, 200);

    const denied = await deferredWallet({ deferred: { ready_after_polls: 1, outcome: 'deny' } });
    await expectError(await poll(denied), 400, 'credential_request_denied', 'DEF-06', denied.offer.session_id);
    await expectError(await poll(denied), 400, 'credential_request_denied', 'DEF-06', denied.offer.session_id);
    assert.equal((await server.store.sessions.get(denied.offer.session_id))!.status, 'credential_denied');
  });

  it('polls racing the claims submission: exactly one retrieval succeeds', async () => {
    const wallet = await deferredWallet();
    const sample = (await import('../../src/issuance/configurations.ts')).findConfiguration(PID_SD_JWT)!.sample;
    const racing = await Promise.all([
      supplyClaimsApi(server, wallet.offer, { credential_configuration_id: PID_DEFERRED, claims: sample }),
      ...Array.from({ length: 6 }, () => poll(wallet)),
    ]);
    assert.equal(racing[0]!.status, 200);
    const statuses = racing.slice(1).map((r) => r.status);
    const afterwards = await Promise.all(Array.from({ length: 4 }, () => poll(wallet)));
    const all = [...statuses, ...afterwards.map((r) => r.status)];
    assert.equal(all.filter((s) => s === 200).length, 1, `exactly one 200 in ${all.join(',')}`);
    assert.ok(all.every((s) => s === 200 || s === 202 || s === 400));
    assert.equal(await server.store.credentials.countForSession(wallet.offer.session_id), 1);
  });
});

describe('/notification', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  async function issued() {
    const wallet = await authorizedWallet(server);
    const res = await credentialRequest(server, wallet, await validCredentialBody(server));
    const { notification_id: notificationId } = (await res.json()) as { notification_id: string };
    assert.ok(notificationId, 'CRED-20: notification_id with immediate credentials');
    return { ...wallet, notificationId };
  }
  const notify = (wallet: Awaited<ReturnType<typeof issued>>, body: unknown) =>
    resourceRequest(server, '/notification', wallet, body);

  it('NOT-05: 204, recorded as event and status, idempotent', async () => {
    const wallet = await issued();
    const sid = wallet.offer.session_id;
    const first = await notify(wallet, {
      notification_id: wallet.notificationId,
      event: 'credential_accepted',
      event_description: 'stored in wallet',
      extra: 1,
    });
    assert.equal(first.status, 204);
    assert.equal((await server.store.sessions.get(sid))!.status, 'credential_accepted');
    assert.equal(
      (
        await notify(wallet, {
          notification_id: wallet.notificationId,
          event: 'credential_accepted',
          event_description: 'stored in wallet',
        })
      ).status,
      204,
    );
    assert.equal((await server.store.events.list(sid)).filter((e) => e.type === 'credential_accepted').length, 1);
    assert.equal((await notify(wallet, { notification_id: wallet.notificationId, event: 'credential_deleted' })).status, 204);
    assert.equal((await server.store.sessions.get(sid))!.status, 'credential_deleted');
  });

  it('NOT-02 / NOT-03 / NOT-04: rejections', async () => {
    const wallet = await issued();
    const other = await issued();
    const sid = wallet.offer.session_id;
    const cases: Array<[unknown, string, string]> = [
      [{ event: 'credential_accepted' }, 'invalid_notification_request', 'NOT-02.missing'],
      [{ notification_id: 'nope', event: 'credential_accepted' }, 'invalid_notification_id', 'NOT-02.unknown'],
      [{ notification_id: other.notificationId, event: 'credential_accepted' }, 'invalid_notification_id', 'NOT-02.unknown'],
      [{ notification_id: wallet.notificationId, event: 'Credential_Accepted' }, 'invalid_notification_request', 'NOT-03'],
      [
        { notification_id: wallet.notificationId, event: 'credential_failure', event_description: 'bad "quote"' },
        'invalid_notification_request',
        'NOT-04',
      ],
      ['[1,2]', 'invalid_notification_request', 'NOT-01.malformed'],
    ];
    for (const [body, error, id] of cases) {
      const res = await notify(wallet, body);
      assert.equal(res.status, 400, id);
      assert.equal(((await res.json()) as { error: string }).error, error, id);
      assert.equal((await lastError(server, sid))!.diagnostic, id);
    }
    const anonymous = await fetch(`${server.issuer}/notification`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(anonymous.status, 401, 'NOT-01: a protected resource');
  });

  it('metadata lists the deferred and notification endpoints and the deferred twins', async () => {
    const md = (await (await fetch(`${server.origin}/.well-known/openid-credential-issuer`)).json()) as Record<string, any>;
    assert.equal(md.deferred_credential_endpoint, `${server.issuer}/deferred_credential`);
    assert.equal(md.notification_endpoint, `${server.issuer}/notification`);
    assert.ok(md.credential_configurations_supported[PID_DEFERRED]);
    assert.ok(md.credential_configurations_supported['eu.europa.ec.eudi.pid_jwt_vc_deferred']);
  });
});
