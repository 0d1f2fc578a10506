// The embedded engine: one better-sqlite3 connection in WAL mode, transactions serialised in-process.

import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { StoreChanges } from '../changes.ts';
import { repositories } from '../repos/index.ts';
import type { Executor, Param, Query, StoreCounters } from '../sql.ts';
import type { Store } from '../store.ts';
import { migrationsDir } from './migrations.ts';
import { Serializer } from './serializer.ts';
import { assertOutsideTransaction, runInTransaction } from './transaction-context.ts';

type Statement = Database.Statement<unknown[]>;

// PRAGMA auto_vacuum's value for INCREMENTAL.
const AUTO_VACUUM_INCREMENTAL = 2;
// Pages (4 KiB by default) that one step of compact() hands back.
const VACUUM_STEP_PAGES = 1000;

/**
 * Forward-only migrations NNNN-name.sql, tracked in PRAGMA user_version, each in its own transaction.
 * Foreign keys are off meanwhile (a migration may rebuild a parent table, whose DROP would otherwise
 * cascade) and checked before each commit.
 */
function migrate(db: Database.Database): void {
  const dir = migrationsDir('sqlite');
  const current = db.pragma('user_version', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  for (const file of readdirSync(dir)
    .filter((name) => /^\d{4}-.+\.sql$/.test(name))
    .sort()) {
    const version = Number(file.slice(0, 4));
    if (version <= current) continue;
    const text = readFileSync(join(dir, file), 'utf8');
    db.transaction(() => {
      db.exec(text);
      const violations = db.pragma('foreign_key_check') as unknown[];
      if (violations.length > 0) throw new Error(`migration ${file} leaves ${violations.length} rows without their parent`);
      db.pragma(`user_version = ${version}`);
    })();
  }
  db.pragma('foreign_keys = ON');
}

export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // Only a file without tables takes the mode; one created earlier keeps its own and reuses its free pages.
  if (db.pragma('user_version', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  const shrinks = db.pragma('auto_vacuum', { simple: true }) === AUTO_VACUUM_INCREMENTAL;

  const statements = new Map<string, Statement>();
  const prepare = (query: Query): Statement => {
    let statement = statements.get(query.name);
    if (!statement) statements.set(query.name, (statement = db.prepare(query.text)));
    return statement;
  };
  const changes = new StoreChanges();
  const counters: StoreCounters = { transactions: 0, statements: 0, logBytes: 0 };
  const serializer = new Serializer();
  // Prepared once: db.exec would parse them again for every transaction.
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const rollback = db.prepare('ROLLBACK');

  const direct = {
    all: <T>(query: Query, params: readonly Param[] = []) => {
      counters.statements++;
      return prepare(query).all(...params) as T[];
    },
    get: <T>(query: Query, params: readonly Param[] = []) => {
      counters.statements++;
      return prepare(query).get(...params) as T | undefined;
    },
    run: (query: Query, params: readonly Param[] = []) => {
      counters.statements++;
      return prepare(query).run(...params).changes;
    },
  };

  // Outside a transaction each statement commits on its own; it waits only while a transaction holds the connection.
  const single = <T>(work: () => T, writes: boolean): Promise<T> => {
    assertOutsideTransaction();
    const go = () => {
      if (writes) counters.transactions++;
      return work();
    };
    if (serializer.idle) {
      try {
        return Promise.resolve(go());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return serializer.run(async () => go());
  };
  const autocommit: Executor = {
    counters,
    all: (query, params) => single(() => direct.all(query, params), false),
    get: (query, params) => single(() => direct.get(query, params), false),
    run: (query, params) => single(() => direct.run(query, params), true),
    announce: (sessionId) => changes.emitChange(sessionId),
  };

  return {
    engine: 'sqlite',
    changes,
    counters,
    ...repositories(autocommit),
    async transaction<T>(body: (tx: ReturnType<typeof repositories>) => Promise<T>): Promise<T> {
      assertOutsideTransaction();
      const { result, announced } = await serializer.run(() =>
        runInTransaction(async () => {
          const announced = new Set<string | null>();
          const tx: Executor = {
            counters,
            all: async (query, params) => direct.all(query, params),
            get: async (query, params) => direct.get(query, params),
            run: async (query, params) => direct.run(query, params),
            announce: (sessionId) => void announced.add(sessionId),
          };
          counters.transactions++;
          // IMMEDIATE takes the write lock up front, so another process on the same file waits instead of failing mid-body.
          begin.run();
          try {
            const result = await body(repositories(tx));
            commit.run();
            return { result, announced };
          } catch (error) {
            if (db.inTransaction) rollback.run();
            throw error;
          }
        }),
      );
      // Outside the body's context and after the connection is free, so listeners may read at once.
      for (const sessionId of announced) changes.emitChange(sessionId);
      return result;
    },
    async compact(): Promise<void> {
      assertOutsideTransaction();
      if (!shrinks) return;
      const freePages = () => db.pragma('freelist_count', { simple: true }) as number;
      let before = await serializer.run(async () => freePages());
      while (before > 0) {
        const after = await serializer.run(async () => {
          db.pragma(`incremental_vacuum(${VACUUM_STEP_PAGES})`);
          return freePages();
        });
        if (after >= before) return;
        before = after;
        // Lets waiting requests be read and run before the next step takes the connection.
        await setImmediate();
      }
    },
    async ping(): Promise<void> {
      await autocommit.get({ text: 'SELECT 1', name: 'ping' });
    },
    async close(): Promise<void> {
      await serializer.run(async () => {
        if (db.open) db.close();
      });
    },
  };
}
