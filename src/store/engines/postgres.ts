// The engine for several nodes: a pg pool; NOTIFY carries change notices to every node's live pages.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { StoreChanges } from '../changes.ts';
import { repositories } from '../repos/index.ts';
import type { Executor, Param, Query, StoreCounters } from '../sql.ts';
import type { Store } from '../store.ts';
import { migrationsDir } from './migrations.ts';
import { assertOutsideTransaction, runInTransaction } from './transaction-context.ts';

export interface PostgresOptions {
  url: string;
  poolSize: number;
  statementTimeoutMs: number;
  /** 'url' (as the URL's sslmode says), 'require' (encrypted, server not verified) or 'verify-full' (against caPem or the system CAs). */
  ssl: 'url' | 'require' | 'verify-full';
  caPem?: string;
  /** A schema of its own (created if missing), e.g. one per test server; default public. */
  schema?: string;
  onError: (error: Error, context: string) => void;
}

const INT8 = 20;
// Timestamps in milliseconds and counts are BIGINT; as JS numbers they stay exact up to 2^53.
const types = {
  getTypeParser: (oid: number, format?: string) =>
    oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
};

// Deadlocks and serialisation failures are safe to retry: the body only touches the database.
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 3;

const pgText = new Map<string, string>();
function dialect(query: Query): string {
  let text = pgText.get(query.name);
  if (text === undefined) {
    let n = 0;
    text = query.text.replace(/\?/g, () => `$${++n}`);
    pgText.set(query.name, text);
  }
  return text;
}

function clientConfig(options: PostgresOptions): pg.ClientConfig {
  const ssl =
    options.ssl === 'url'
      ? undefined
      : { rejectUnauthorized: options.ssl === 'verify-full', ...(options.caPem ? { ca: options.caPem } : {}) };
  return {
    connectionString: options.url,
    ...(ssl ? { ssl } : {}),
    statement_timeout: options.statementTimeoutMs,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types,
  };
}

async function migrate(pool: pg.Pool, schema: string | undefined, lockKey: string): Promise<void> {
  const client = await pool.connect();
  try {
    // Nodes starting at once take turns; the second finds everything applied.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    if (schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version),
    );
    const dir = migrationsDir('postgres');
    for (const file of readdirSync(dir)
      .filter((name) => /^\d{4}-.+\.sql$/.test(name))
      .sort()) {
      const version = Number(file.slice(0, 4));
      if (applied.has(version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(join(dir, file), 'utf8'));
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          version,
          file,
          Date.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${file} failed: ${(error as Error).message}`);
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
    client.release();
  }
}

/** LISTENs on the change channel with a dedicated connection, reconnecting after a failure. */
function listen(
  config: pg.ClientConfig,
  channel: string,
  changes: StoreChanges,
  onError: PostgresOptions['onError'],
): () => Promise<void> {
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const next = new pg.Client(config);
    client = next;
    next.on('notification', (message) => changes.emitChange(message.payload ? message.payload : null));
    next.on('error', (error) => {
      onError(error, 'change listener');
      void next.end().catch(() => {});
      if (!closed) retry = setTimeout(() => void connect(), 1000);
    });
    try {
      await next.connect();
      await next.query(`LISTEN "${channel}"`);
    } catch (error) {
      if (closed) return;
      onError(error as Error, 'change listener');
      await next.end().catch(() => {});
      if (!closed) retry = setTimeout(() => void connect(), 1000);
    }
  };
  void connect();
  return async () => {
    closed = true;
    clearTimeout(retry);
    await client?.end().catch(() => {});
  };
}

export async function openPostgresStore(options: PostgresOptions): Promise<Store> {
  const config = clientConfig(options);
  const pool = new pg.Pool({ ...config, max: options.poolSize });
  pool.on('error', (error) => options.onError(error, 'idle pool connection'));
  const schema = options.schema;
  await migrate(pool, schema, `oid4vci-playground-migrations:${schema ?? 'public'}`);

  const channel = `oid4vci_playground_changes:${schema ?? 'public'}`;
  const changes = new StoreChanges();
  const stopListening = listen(config, channel, changes, options.onError);
  const counters: StoreCounters = { transactions: 0, statements: 0, logBytes: 0 };
  const notify = (target: pg.Pool | pg.PoolClient, sessionId: string | null) =>
    target.query({ name: 'notify', text: 'SELECT pg_notify($1, $2)', values: [channel, sessionId ?? ''] });

  const on = (target: pg.Pool | pg.PoolClient) => ({
    all: async <T>(query: Query, params: readonly Param[] = []) => {
      counters.statements++;
      return (await target.query({ name: query.name, text: dialect(query), values: params as Param[] })).rows as T[];
    },
    get: async <T>(query: Query, params: readonly Param[] = []) => {
      counters.statements++;
      return (await target.query({ name: query.name, text: dialect(query), values: params as Param[] })).rows[0] as T | undefined;
    },
    run: async (query: Query, params: readonly Param[] = []) => {
      counters.statements++;
      return (await target.query({ name: query.name, text: dialect(query), values: params as Param[] })).rowCount ?? 0;
    },
  });
  const pooled = on(pool);
  const autocommit: Executor = {
    counters,
    all: (query, params) => {
      assertOutsideTransaction();
      return pooled.all(query, params);
    },
    get: (query, params) => {
      assertOutsideTransaction();
      return pooled.get(query, params);
    },
    run: (query, params) => {
      assertOutsideTransaction();
      counters.transactions++;
      return pooled.run(query, params);
    },
    announce: (sessionId) => void notify(pool, sessionId).catch((error: Error) => options.onError(error, 'change notice')),
  };

  async function attempt<T>(body: (tx: ReturnType<typeof repositories>) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    const announced = new Set<string | null>();
    const bound = on(client);
    const tx: Executor = { ...bound, counters, announce: (sessionId) => void announced.add(sessionId) };
    try {
      await client.query('BEGIN');
      const result = await body(repositories(tx));
      // NOTIFY is transactional: listeners on every node hear it only if the change commits.
      for (const sessionId of announced) await notify(client, sessionId);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    engine: 'postgres',
    changes,
    counters,
    ...repositories(autocommit),
    transaction<T>(body: (tx: ReturnType<typeof repositories>) => Promise<T>): Promise<T> {
      assertOutsideTransaction();
      return runInTransaction(async () => {
        for (let n = 1; ; n++) {
          counters.transactions++;
          try {
            return await attempt(body);
          } catch (error) {
            if (n >= MAX_ATTEMPTS || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error;
          }
        }
      });
    },
    // Nothing to do: autovacuum (on by default) finds the tables that retention deleted from and
    // makes the dead rows' space reusable, and refreshes their statistics, without locking them.
    // Giving the space back to the file system would take VACUUM FULL, which locks each table
    // against every read and write while it rewrites it: no prune should stop the wallets.
    async compact(): Promise<void> {},
    async ping(): Promise<void> {
      await pool.query('SELECT 1');
    },
    async close(): Promise<void> {
      if (pool.ended) return;
      await stopListening();
      await pool.end();
    },
  };
}
