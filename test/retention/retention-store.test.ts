// The retention repository and the batched purges on the run's engine, on rows written through the
// store: which rows each statement deletes, that it deletes one bounded batch, and that every table
// holding a session's rows lets them go with the session.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SessionOptions } from '../../src/domain/session.ts';
import type { Store } from '../../src/store/index.ts';
import { rawSql, scratchStore, TEST_ENGINE } from '../support/server.ts';

const OPTIONS: SessionOptions = {
  require_dpop: true,
  dpop_nonce: false,
  require_key_attestation: false,
  require_wallet_attestation: false,
  strict: false,
  claims: {},
  trust_anchors: [],
};
const SESSION_TABLES = [
  'access_tokens',
  'authorization_codes',
  'deferred_transactions',
  'events',
  'issued_credentials',
  'issuer_states',
  'log_entries',
  'notifications',
  'offers',
  'par_requests',
  'pre_authorized_codes',
  'refresh_tokens',
  'status_entries',
  'trust_anchors',
  'workspace_sessions',
];
const CUTOFF = 1_000_000;
const OLD = CUTOFF - 1;

async function newSession(store: Store, id: string, createdAt: number, updatedAt = createdAt): Promise<void> {
  await store.sessions.insert(
    {
      id,
      status: 'offer_created',
      grant_type: 'g',
      credential_configuration_ids: ['x'],
      options: OPTIONS,
      created_at: createdAt,
      updated_at: updatedAt,
    },
    null,
  );
}

const logAt = (store: Store, sessionId: string | null, createdAt: number) =>
  store.logs.append({
    session_id: sessionId,
    level: 'info',
    endpoint: '/token',
    created_at: createdAt,
    http_status: 200,
    duration_ms: 1,
    records: [],
  });

const ids = async (env: Record<string, string>, text: string) =>
  (await rawSql(env, text)).map((row) => String(Object.values(row)[0]));

describe(`retention repository (${TEST_ENGINE})`, () => {
  let scratch: Awaited<ReturnType<typeof scratchStore>>;
  let store: Store;
  before(async () => {
    scratch = await scratchStore();
    store = scratch.store;
  });
  after(() => scratch.close());

  it('every table that references sessions deletes its rows with the session and finds them by an index on session_id', async () => {
    const references =
      TEST_ENGINE === 'sqlite'
        ? await rawSql(
            scratch.env,
            `SELECT m.name AS child, f.on_delete = 'CASCADE' AS cascades,
               EXISTS (SELECT 1 FROM pragma_index_list(m.name) il JOIN pragma_index_info(il.name) ii ON ii.seqno = 0 WHERE ii.name = f."from") AS indexed
             FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f."table" = 'sessions'`,
          )
        : await rawSql(
            scratch.env,
            `SELECT c.conrelid::regclass::text AS child, c.confdeltype = 'c' AS cascades,
               EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1]) AS indexed
             FROM pg_constraint c WHERE c.contype = 'f' AND c.confrelid = 'sessions'::regclass`,
          );
    assert.deepEqual(references.map((r) => r.child).sort(), SESSION_TABLES);
    for (const r of references) assert.deepEqual([r.child, Boolean(r.cascades), Boolean(r.indexed)], [r.child, true, true]);
  });

  it("deletes sessions whose last activity (status change or log entry) is before the cutoff, with the session's rows", async () => {
    await newSession(store, 'idle', OLD - 10);
    await logAt(store, 'idle', OLD);
    await store.events.add('idle', 'offer_created', {}, OLD);
    await store.codes.insert('idle-code', 'idle', null, OLD);
    await newSession(store, 'advanced', OLD - 10, CUTOFF);
    await newSession(store, 'logged', OLD - 10);
    await logAt(store, 'logged', OLD);
    await logAt(store, 'logged', CUTOFF);
    await newSession(store, 'fresh', CUTOFF);

    assert.equal(await store.transaction((tx) => tx.retention.deleteIdleSessions(CUTOFF, 10)), 1);
    assert.deepEqual(await ids(scratch.env, 'SELECT id FROM sessions ORDER BY id'), ['advanced', 'fresh', 'logged']);
    assert.deepEqual(
      await ids(scratch.env, "SELECT count(*) FROM log_entries WHERE session_id = 'logged'"),
      ['2'],
      'an active session keeps its old entries',
    );
    for (const table of ['log_entries', 'events', 'pre_authorized_codes']) {
      assert.deepEqual(await ids(scratch.env, `SELECT count(*) FROM ${table} WHERE session_id = 'idle'`), ['0'], table);
    }
    assert.equal(await store.retention.deleteIdleSessions(CUTOFF, 10), 0);
  });

  it('deletes idle sessions oldest first, at most one batch per call', async () => {
    for (let i = 0; i < 5; i++) await newSession(store, `batch-${i}`, OLD - 100 + i);
    assert.deepEqual(
      [await store.retention.deleteIdleSessions(CUTOFF, 2), await store.retention.deleteIdleSessions(CUTOFF, 2)],
      [2, 2],
    );
    assert.deepEqual(await ids(scratch.env, "SELECT id FROM sessions WHERE id LIKE 'batch-%'"), ['batch-4']);
    assert.equal(await store.retention.deleteIdleSessions(CUTOFF, 2), 1);
  });

  it("deletes unattributed entries before the cutoff in batches, never a session's", async () => {
    await newSession(store, 'keeps-logs', CUTOFF);
    await logAt(store, 'keeps-logs', OLD);
    for (let i = 0; i < 3; i++) await logAt(store, null, OLD - i);
    await logAt(store, null, CUTOFF);
    assert.equal(await store.retention.deleteUnattributedBefore(CUTOFF, 2), 2);
    assert.equal(await store.retention.deleteUnattributedBefore(CUTOFF, 2), 1);
    assert.equal(await store.retention.deleteUnattributedBefore(CUTOFF, 2), 0);
    assert.deepEqual(await ids(scratch.env, 'SELECT created_at FROM log_entries WHERE session_id IS NULL'), [String(CUTOFF)]);
    assert.deepEqual(await ids(scratch.env, "SELECT count(*) FROM log_entries WHERE session_id = 'keeps-logs'"), ['1']);
  });

  it('keeps the newest entries of the unattributed stream up to the cap, deleting the oldest in batches', async () => {
    await rawSql(scratch.env, 'DELETE FROM log_entries WHERE session_id IS NULL');
    for (let i = 0; i < 7; i++) await logAt(store, null, CUTOFF + i);
    const newest = await ids(scratch.env, 'SELECT id FROM log_entries WHERE session_id IS NULL ORDER BY id DESC LIMIT 3');
    assert.equal(await store.retention.deleteUnattributedBeyond(10, 3), 0, 'within the cap');
    assert.deepEqual(
      [await store.retention.deleteUnattributedBeyond(3, 3), await store.retention.deleteUnattributedBeyond(3, 3)],
      [3, 1],
    );
    assert.equal(await store.retention.deleteUnattributedBeyond(3, 3), 0);
    assert.deepEqual(await ids(scratch.env, 'SELECT id FROM log_entries WHERE session_id IS NULL ORDER BY id DESC'), newest);
    assert.deepEqual(await ids(scratch.env, "SELECT count(*) FROM log_entries WHERE session_id = 'keeps-logs'"), ['1']);
  });

  it('deletes codes and tokens that expired before the cutoff, also of a live session', async () => {
    await newSession(store, 'grants', CUTOFF);
    const token = (hash: string, expiresAt: number) =>
      store.tokens.insert({
        token_hash: hash,
        session_id: 'grants',
        token_type: 'DPoP',
        dpop_jkt: null,
        client_id: null,
        credential_configuration_ids: ['x'],
        created_at: 0,
        expires_at: expiresAt,
      });
    await store.codes.insert('dead-code', 'grants', null, OLD);
    await store.codes.insert('live-code', 'grants', null, CUTOFF);
    await token('dead-token-1', OLD);
    await token('dead-token-2', OLD);
    await token('live-token', CUTOFF);
    assert.equal(await store.retention.deleteGrantsExpiredBefore(CUTOFF, 1), 2, 'one code and one token');
    assert.equal(await store.retention.deleteGrantsExpiredBefore(CUTOFF, 1), 1);
    assert.equal(await store.retention.deleteGrantsExpiredBefore(CUTOFF, 1), 0);
    assert.deepEqual(await ids(scratch.env, "SELECT code FROM pre_authorized_codes WHERE session_id = 'grants'"), ['live-code']);
    assert.deepEqual(await ids(scratch.env, "SELECT token_hash FROM access_tokens WHERE session_id = 'grants'"), ['live-token']);
    assert.ok(await store.sessions.get('grants'));
  });

  it('purges expired nonces, challenges and jtis in batches and keeps live ones', async () => {
    const now = CUTOFF;
    for (let i = 0; i < 3; i++) {
      await store.nonces.issueCNonce(`c-${i}`, now - 10, 5);
      await store.nonces.issueDpopNonce(`d-${i}`, now - 1);
      await store.nonces.rememberDpopJti(`jti-${i}`, 'https://issuer.example/token', now - 1);
      await store.nonces.issueAttestationChallenge(`ch-${i}`, now - 1);
      await store.anchors.rememberPopJti(`pop-${i}`, now - 1, now - 2);
    }
    await store.nonces.issueCNonce('c-live', now, 60_000);
    await store.nonces.rememberDpopJti('jti-live', 'https://issuer.example/token', now + 1);
    await store.anchors.rememberPopJti('pop-live', now + 1, now);
    assert.deepEqual([await store.nonces.purgeExpired(now, 2), await store.anchors.purgeExpiredPopJtis(now, 2)], [8, 2]);
    assert.deepEqual([await store.nonces.purgeExpired(now, 2), await store.anchors.purgeExpiredPopJtis(now, 2)], [4, 1]);
    assert.deepEqual([await store.nonces.purgeExpired(now, 2), await store.anchors.purgeExpiredPopJtis(now, 2)], [0, 0]);
    assert.deepEqual(await ids(scratch.env, 'SELECT nonce FROM c_nonces'), ['c-live']);
    assert.deepEqual(await ids(scratch.env, 'SELECT jti_hash FROM dpop_jtis'), ['jti-live']);
    assert.deepEqual(await ids(scratch.env, 'SELECT jti_hash FROM client_attestation_pop_jtis'), ['pop-live']);
    assert.deepEqual(await ids(scratch.env, 'SELECT count(*) FROM dpop_nonces'), ['0']);
    assert.deepEqual(await ids(scratch.env, 'SELECT count(*) FROM attestation_challenges'), ['0']);
  });
});
