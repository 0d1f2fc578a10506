// Retention through the real API, with the server's clock injected: sessions made a retention period
// ago go with every row they own, active ones stay and keep working, the unattributed stream keeps
// to its age and row cap, expired single-use values go, and pruning works in bounded batches, next
// to wallet traffic, without growing the SQLite file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { type PruneOptions, pruneOnce } from '../../src/retention/prune.ts';
import { createOffer, lastError, PID_SD_JWT, PRE_AUTH, sessionFetch, tokenRequest } from '../support/raw-wallet.ts';
import { rawSql, scratchStore, startServer, TEST_ENGINE, type TestServer } from '../support/server.ts';
import { credentialPost, fullFlow, redeem, redeemedOffer, resourcePost } from './clocked-wallet.ts';

const HOUR_MS = 60 * 60 * 1000;
const RETENTION_MS = 168 * HOUR_MS;
const A_RETENTION_PERIOD_AGO = -(RETENTION_MS + HOUR_MS);
const SESSION_TABLES = [
  'offers',
  'pre_authorized_codes',
  'trust_anchors',
  'access_tokens',
  'events',
  'log_entries',
  'issued_credentials',
  'deferred_transactions',
  'notifications',
  'status_entries',
  'workspace_sessions',
];
const EXPIRING_TABLES = ['c_nonces', 'dpop_nonces', 'dpop_jtis', 'attestation_challenges', 'client_attestation_pop_jtis'];

/** A test server whose clock the test moves: offsetMs from the real time, which the wallet's proofs follow. */
async function clockedServer(options: { dataDir?: string } = {}) {
  const clock = { offsetMs: 0 };
  const now = () => Date.now() + clock.offsetMs;
  const server = await startServer({ ...options, now });
  return { server, clock, now };
}

const prune = (server: TestServer, at: number, options: Partial<PruneOptions> = {}) =>
  pruneOnce(server.store, { now: at, retentionMs: RETENTION_MS, unattributedMaxRows: 1000, ...options });

const count = async (server: TestServer, text: string) => Number((await rawSql(server.env, text))[0]!.n);
const inList = (ids: readonly string[]) => ids.map((id) => `'${id}'`).join(', ');

/** How many rows each table that belongs to sessions holds for these sessions. */
async function sessionRows(server: TestServer, sessionIds: readonly string[]): Promise<Record<string, number>> {
  const rows: Record<string, number> = {
    sessions: await count(server, `SELECT count(*) AS n FROM sessions WHERE id IN (${inList(sessionIds)})`),
  };
  for (const table of SESSION_TABLES)
    rows[table] = await count(server, `SELECT count(*) AS n FROM ${table} WHERE session_id IN (${inList(sessionIds)})`);
  return rows;
}

async function expiredRows(server: TestServer, at: number): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  for (const table of EXPIRING_TABLES)
    rows[table] = await count(server, `SELECT count(*) AS n FROM ${table} WHERE expires_at < ${at}`);
  return rows;
}

const unknownCode = (server: TestServer, code = 'no-such-code') =>
  tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': code });

async function pragma(server: TestServer, name: string): Promise<number> {
  return Number(Object.values((await rawSql(server.env, `PRAGMA ${name}`))[0]!)[0]);
}

describe(`retention (${TEST_ENGINE})`, () => {
  it('deletes sessions idle for the retention period with every row they own; active sessions stay and keep working', async () => {
    const { server, clock, now } = await clockedServer();
    try {
      clock.offsetMs = A_RETENTION_PERIOD_AGO;
      const oldFlow = await fullFlow(server, now);
      // Offers made in the web console join the browser's workspace.
      await server.store.sessions.addToWorkspace('old-workspace', oldFlow.offer.session_id, now());
      const oldOffer = await createOffer(server);
      const revisited = await redeemedOffer(server, now);
      for (let i = 0; i < 2; i++) assert.equal((await unknownCode(server)).status, 400);
      assert.equal((await fetch(`${server.issuer}/challenge`, { method: 'POST' })).status, 200);
      await server.store.anchors.rememberPopJti('old-pop-jti', now() + 60_000, now());

      clock.offsetMs = 0;
      const recentFlow = await fullFlow(server, now);
      await server.store.sessions.addToWorkspace('old-workspace', recentFlow.offer.session_id, now());
      const recentOffer = await createOffer(server);
      assert.equal((await unknownCode(server)).status, 400);
      // A request with the week-old token is refused, and logged on its session: that keeps the session active.
      assert.equal((await credentialPost(server, now, revisited, PID_SD_JWT)).status, 401);
      assert.equal((await lastError(server, revisited.offer.session_id))!.diagnostic, 'CRED-03.expired');

      const old = [oldFlow.offer.session_id, oldOffer.session_id];
      const recent = [recentFlow.offer.session_id, recentOffer.session_id, revisited.offer.session_id];
      for (const [table, n] of Object.entries(await sessionRows(server, [oldFlow.offer.session_id])))
        assert.ok(n > 0, `the old flow has rows in ${table}`);
      const recentBefore = await sessionRows(server, recent);
      const at = now();
      const cutoff = at - RETENTION_MS;
      const expiredBefore = await expiredRows(server, at);
      for (const [table, n] of Object.entries(expiredBefore)) assert.ok(n > 0, `${table} has expired rows`);

      const counts = await prune(server, at);
      assert.deepEqual(counts, {
        sessions: 2,
        unattributedEntries: 2,
        expiredGrants: 2, // the revisited session's code and token, expired a retention period ago
        expiredNonces: Object.values(expiredBefore).reduce((a, b) => a + b, 0),
      });
      assert.deepEqual(Object.values(await sessionRows(server, old)), Array(SESSION_TABLES.length + 1).fill(0));
      assert.deepEqual(await sessionRows(server, recent), {
        ...recentBefore,
        pre_authorized_codes: recentBefore.pre_authorized_codes! - 1,
        access_tokens: recentBefore.access_tokens! - 1,
      });
      assert.deepEqual(Object.values(await expiredRows(server, at)), Array(EXPIRING_TABLES.length).fill(0));
      assert.equal(
        await count(server, `SELECT count(*) AS n FROM log_entries WHERE session_id IS NULL AND created_at < ${cutoff}`),
        0,
      );
      assert.equal(
        await count(server, 'SELECT count(*) AS n FROM log_entries WHERE session_id IS NULL'),
        1,
        'the recent unattributed entry stays',
      );
      if (TEST_ENGINE === 'sqlite') assert.deepEqual(await rawSql(server.env, 'PRAGMA foreign_key_check'), []);

      assert.equal((await sessionFetch(server, oldFlow.offer, `/api/sessions/${oldFlow.offer.session_id}`)).status, 404);
      assert.equal((await sessionFetch(server, recentFlow.offer, `/api/sessions/${recentFlow.offer.session_id}`)).status, 200);
      const polled = await resourcePost(server, now, recentFlow, '/deferred_credential', {
        transaction_id: recentFlow.transactionId,
      });
      assert.equal(polled.status, 200, 'the recent deferred transaction is issued at its first poll');
      const wallet = await redeem(server, now, recentOffer);
      assert.equal((await credentialPost(server, now, wallet, PID_SD_JWT)).status, 200);
      // The dead token is gone: the same request is now unknown, and lands in the unattributed stream.
      assert.equal((await credentialPost(server, now, revisited, PID_SD_JWT)).status, 401);
      assert.equal((await lastError(server, null))!.diagnostic, 'CRED-03.unknown');
      assert.ok(await server.store.sessions.get(revisited.offer.session_id));
    } finally {
      await server.close();
    }
  });

  it('deletes more sessions and entries than one batch, at most batchesPerRun batches a run', async () => {
    const { server, clock, now } = await clockedServer();
    try {
      clock.offsetMs = A_RETENTION_PERIOD_AGO;
      for (let i = 0; i < 5; i++) {
        await createOffer(server);
        await unknownCode(server);
      }
      clock.offsetMs = 0;
      const small = { batch: { sessions: 2, rows: 2 }, batchesPerRun: 2 };
      const pick = ({ sessions, unattributedEntries }: { sessions: number; unattributedEntries: number }) => ({
        sessions,
        unattributedEntries,
      });
      assert.deepEqual(pick(await prune(server, now(), small)), { sessions: 4, unattributedEntries: 4 });
      assert.deepEqual(pick(await prune(server, now(), small)), { sessions: 1, unattributedEntries: 1 });
      assert.deepEqual(await prune(server, now(), small), {
        sessions: 0,
        unattributedEntries: 0,
        expiredGrants: 0,
        expiredNonces: 0,
      });
      assert.equal(await count(server, 'SELECT count(*) AS n FROM sessions'), 0);
    } finally {
      await server.close();
    }
  });

  it('keeps the newest entries of the unattributed stream up to its row cap', async () => {
    const { server, now } = await clockedServer();
    try {
      for (let i = 0; i < 6; i++) await unknownCode(server, `no-such-code-${i}`);
      const newest = (await server.store.logs.filteredPage(null, {}, 4, 0)).entries.map((e) => e.id);
      const counts = await prune(server, now(), { unattributedMaxRows: 4, batch: { sessions: 100, rows: 1 } });
      assert.equal(counts.unattributedEntries, 2);
      assert.deepEqual(
        (await server.store.logs.filteredPage(null, {}, 10, 0)).entries.map((e) => e.id),
        newest,
      );
    } finally {
      await server.close();
    }
  });

  it('a prune running alongside wallet flows fails none of their requests', async () => {
    const { server, clock, now } = await clockedServer();
    try {
      clock.offsetMs = A_RETENTION_PERIOD_AGO;
      const OLD_SESSIONS = 120;
      for (let i = 0; i < OLD_SESSIONS; i += 20) await Promise.all(Array.from({ length: 20 }, () => createOffer(server)));
      await Promise.all(Array.from({ length: 3 }, () => fullFlow(server, now)));
      clock.offsetMs = 0;
      // Each flow asserts the status of every one of its requests.
      const [counts] = await Promise.all([
        prune(server, now(), { batch: { sessions: 3, rows: 10 }, batchesPerRun: 1000 }),
        ...Array.from({ length: 6 }, () => fullFlow(server, now)),
      ]);
      assert.equal(counts.sessions, OLD_SESSIONS + 3);
      assert.equal(await count(server, 'SELECT count(*) AS n FROM sessions'), 6);
    } finally {
      await server.close();
    }
  });

  it('SQLite: a new file takes incremental auto-vacuum and shrinks back after each prune', {
    skip: TEST_ENGINE !== 'sqlite' && 'SQLite files only',
  }, async () => {
    const { server, clock, now } = await clockedServer();
    try {
      assert.equal(await pragma(server, 'auto_vacuum'), 2, 'INCREMENTAL');
      const pruned: number[] = [];
      for (let cycle = 0; cycle < 3; cycle++) {
        clock.offsetMs = A_RETENTION_PERIOD_AGO;
        for (let i = 0; i < 4; i++) await fullFlow(server, now);
        const filled = await pragma(server, 'page_count');
        clock.offsetMs = 0;
        assert.equal((await prune(server, now())).sessions, 4);
        assert.equal(await pragma(server, 'freelist_count'), 0);
        pruned.push(await pragma(server, 'page_count'));
        assert.ok(pruned.at(-1)! < filled, `cycle ${cycle}: ${filled} pages filled, ${pruned.at(-1)} after the prune`);
      }
      assert.ok(
        pruned.every((pages) => pages <= pruned[0]!),
        `pages after each prune: ${pruned.join(', ')}`,
      );
    } finally {
      await server.close();
    }
  });

  it('SQLite: a file created before auto-vacuum keeps its mode and reuses its free pages', {
    skip: TEST_ENGINE !== 'sqlite' && 'SQLite files only',
  }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'oid4vci-retention-'));
    try {
      const earlier = await scratchStore(dataDir);
      await earlier.close();
      const db = new Database(join(dataDir, 'playground.db'));
      db.pragma('auto_vacuum = NONE');
      db.exec('VACUUM');
      db.close();
      const { server, clock, now } = await clockedServer({ dataDir });
      try {
        assert.equal(await pragma(server, 'auto_vacuum'), 0, 'NONE');
        const filled: number[] = [];
        for (let cycle = 0; cycle < 3; cycle++) {
          clock.offsetMs = A_RETENTION_PERIOD_AGO;
          for (let i = 0; i < 4; i++) await fullFlow(server, now);
          filled.push(await pragma(server, 'page_count'));
          clock.offsetMs = 0;
          assert.equal((await prune(server, now())).sessions, 4);
          assert.ok((await pragma(server, 'freelist_count')) > 0, 'the freed pages stay in the file');
        }
        assert.ok(
          filled.every((pages) => pages <= filled[0]!),
          `pages after each fill: ${filled.join(', ')}`,
        );
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
