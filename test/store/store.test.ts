// The store on the run's engine (a real SQLite file, or a real PostgreSQL schema): migrations,
// persisted keys, single-use state changes under concurrency, atomic transactions, change notices.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import type { SessionOptions } from '../../src/domain/session.ts';
import { loadOrCreateIssuerKey } from '../../src/issuance/keys.ts';
import type { Store } from '../../src/store/index.ts';
import { openTestStore, rawSql, scratchStore, TEST_ENGINE } from '../support/server.ts';

const OPTIONS: SessionOptions = {
  require_dpop: true,
  dpop_nonce: false,
  require_key_attestation: false,
  require_wallet_attestation: false,
  strict: false,
  claims: {},
  trust_anchors: [],
};
const CONCURRENCY = 50;
const PUBLIC_URL = 'https://issuer.example';

async function newSession(store: Store, id: string, now = Date.now()): Promise<void> {
  await store.sessions.insert(
    {
      id,
      status: 'offer_created',
      grant_type: 'g',
      credential_configuration_ids: ['x'],
      options: OPTIONS,
      created_at: now,
      updated_at: now,
    },
    null,
  );
}

const count = (results: boolean[]) => results.filter(Boolean).length;
// PostgreSQL delivers a notice a moment after its commit; let earlier ones arrive before listening.
const noticesDelivered = () => new Promise((resolve) => setTimeout(resolve, 150));

describe(`store (${TEST_ENGINE})`, () => {
  let scratch: Awaited<ReturnType<typeof scratchStore>>;
  let store: Store;
  before(async () => {
    scratch = await scratchStore();
    store = scratch.store;
  });
  after(() => scratch.close());

  it('migrates once and keeps the issuer key across restarts', async () => {
    const key = await loadOrCreateIssuerKey(store, { now: Date.now(), publicUrl: PUBLIC_URL });
    const reopened = await openTestStore(loadConfig({ LOG_LEVEL: 'silent', ...scratch.env }));
    const again = await loadOrCreateIssuerKey(reopened, { now: Date.now(), publicUrl: PUBLIC_URL });
    assert.equal(again.kid, key.kid);
    assert.deepEqual(again.x5c, key.x5c);
    await reopened.close();
    if (TEST_ENGINE === 'sqlite') {
      assert.equal((await rawSql(scratch.env, 'PRAGMA journal_mode'))[0]!.journal_mode, 'wal');
      assert.ok(Number((await rawSql(scratch.env, 'PRAGMA user_version'))[0]!.user_version) >= 5);
    } else {
      const versions = (await rawSql(scratch.env, 'SELECT version FROM schema_migrations ORDER BY version')).map((r) =>
        Number(r.version),
      );
      assert.deepEqual(versions, [...new Set(versions)], 'each migration applied once');
      assert.ok(versions.length >= 5);
    }
  });

  it('a failed transaction leaves nothing behind, and announces nothing', async () => {
    await newSession(store, 's-rollback');
    await noticesDelivered();
    const announced: Array<string | null> = [];
    const listener = (id: string | null) => announced.push(id);
    store.changes.on('change', listener);
    await assert.rejects(
      store.transaction(async (tx) => {
        await tx.sessions.advance('s-rollback', 'token_exchanged', Date.now());
        await tx.events.add('s-rollback', 'token_exchanged', {}, Date.now());
        throw new Error('crash mid-way');
      }),
      /crash mid-way/,
    );
    await noticesDelivered();
    store.changes.off('change', listener);
    assert.equal((await store.sessions.get('s-rollback'))!.status, 'offer_created');
    assert.equal((await store.events.list('s-rollback')).length, 0);
    assert.deepEqual(announced, []);
  });

  it('a committed transaction announces its session once it is readable', async () => {
    await newSession(store, 's-notice');
    await noticesDelivered();
    const seen = new Promise<string>((resolve) => {
      const listener = async (id: string | null) => {
        if (id !== 's-notice') return;
        store.changes.off('change', listener);
        resolve((await store.sessions.get(id))!.status);
      };
      store.changes.on('change', listener);
    });
    await store.transaction(async (tx) => {
      await tx.sessions.advance('s-notice', 'token_exchanged', Date.now());
      await tx.events.add('s-notice', 'token_exchanged', {}, Date.now());
    });
    assert.equal(await seen, 'token_exchanged');
  });

  it('status never moves backwards; outcomes replace each other', async () => {
    await newSession(store, 's-status');
    const now = Date.now();
    assert.equal(await store.sessions.advance('s-status', 'credential_issued', now), true);
    assert.equal(await store.sessions.advance('s-status', 'offer_retrieved', now), false);
    assert.equal(await store.sessions.advance('s-status', 'credential_accepted', now), true);
    assert.equal((await store.sessions.get('s-status'))!.status, 'credential_accepted');
  });

  it(`TOK-04: a pre-authorized code redeemed ${CONCURRENCY} times at once succeeds once`, async () => {
    await newSession(store, 's-code');
    const now = Date.now();
    await store.codes.insert('code-race', 's-code', null, now + 60_000);
    const results = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => store.transaction((tx) => tx.codes.redeem('code-race', now))),
    );
    assert.equal(count(results), 1);
  });

  it(`PRF-08: a c_nonce consumed ${CONCURRENCY} times at once succeeds once`, async () => {
    const now = Date.now();
    await store.nonces.issueCNonce('nonce-race', now, 60_000);
    const results = await Promise.all(Array.from({ length: CONCURRENCY }, () => store.nonces.consumeCNonce('nonce-race', now)));
    assert.equal(count(results), 1);
  });

  it(`DPOP-10, WA-07, WA-09: a DPoP jti, a PoP jti and a challenge used ${CONCURRENCY} times at once succeed once each`, async () => {
    const now = Date.now();
    await store.nonces.issueAttestationChallenge('challenge-race', now + 60_000);
    const [dpop, pop, challenge] = await Promise.all([
      Promise.all(
        Array.from({ length: CONCURRENCY }, () =>
          store.nonces.rememberDpopJti('jti-race', 'https://issuer.example/token', now + 60_000),
        ),
      ),
      Promise.all(Array.from({ length: CONCURRENCY }, () => store.anchors.rememberPopJti('pop-race', now + 60_000, now))),
      Promise.all(Array.from({ length: CONCURRENCY }, () => store.nonces.useAttestationChallenge('challenge-race', now))),
    ]);
    assert.deepEqual([count(dpop), count(pop), count(challenge)], [1, 1, 1]);
  });

  it(`DEF-03, NOT-05: a deferred transaction is retrieved once and completed once under ${CONCURRENCY} racing calls`, async () => {
    await newSession(store, 's-deferred');
    const now = Date.now();
    await store.deferred.insert({
      transaction_id: 't-race',
      session_id: 's-deferred',
      token_hash: 'h',
      credential_configuration_id: 'x',
      holder_jwks: [],
      interval_s: 5,
      created_at: now,
    });
    const completed = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) =>
        store.deferred.complete('t-race', [{ credential: `credential-${i}`, status: null }], now),
      ),
    );
    const retrieved = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => store.transaction((tx) => tx.deferred.retrieve('t-race', now))),
    );
    assert.deepEqual([count(completed), count(retrieved)], [1, 1]);
  });

  it('SQLite: transaction bodies never interleave, even when they await between statements', async () => {
    await newSession(store, 's-serial');
    const order: string[] = [];
    const body = (name: string) => async (tx: Parameters<Parameters<Store['transaction']>[0]>[0]) => {
      order.push(`${name}:start`);
      await tx.events.add('s-serial', name, {}, Date.now());
      await new Promise((resolve) => setTimeout(resolve, 20));
      await tx.events.add('s-serial', name, {}, Date.now());
      order.push(`${name}:end`);
    };
    await Promise.all([store.transaction(body('a')), store.transaction(body('b'))]);
    const events = (await store.events.list('s-serial')).map((e) => e.type).reverse();
    assert.equal(events.length, 4);
    // SQLite shares one connection, so it runs one body at a time; PostgreSQL isolates concurrent bodies instead.
    if (TEST_ENGINE === 'sqlite') {
      assert.deepEqual(order, ['a:start', 'a:end', 'b:start', 'b:end']);
      assert.deepEqual(events, ['a', 'a', 'b', 'b']);
    }
  });

  it("a store call that bypasses the body's tx is refused instead of deadlocking", async () => {
    await assert.rejects(
      store.transaction(async () => store.sessions.get('s-code')),
      /use the body's tx/,
    );
  });
});
