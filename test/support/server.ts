// A real listening server on loopback, built the way src/server.ts builds it, on the engine the test
// run names: a real SQLite file, or (TEST_ENGINE=postgres) a schema of its own on the PostgreSQL
// server of DATABASE_URL, dropped again when the server closes.

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { type AppDeps, createDeps } from '../../src/protocol/deps.ts';
import { openStore, type Store } from '../../src/store/index.ts';

export interface TestServer {
  /** The Credential Issuer Identifier (PUBLIC_URL). */
  issuer: string;
  /** Origin the server listens on. */
  origin: string;
  app: FastifyInstance;
  store: Store;
  deps: AppDeps;
  /** The environment the server was configured with, e.g. to start a second node on the same database. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export const TEST_ENGINE = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** A fresh, empty database for one test server: a temporary SQLite file or a new PostgreSQL schema. */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export function testDatabase(dataDir?: string): TestDatabase {
  if (TEST_ENGINE === 'postgres') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('TEST_ENGINE=postgres needs DATABASE_URL');
    const schema = `test_${randomBytes(6).toString('hex')}`;
    return {
      env: { DATABASE_URL: url, DATABASE_SCHEMA: schema },
      async drop() {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await client.end();
      },
    };
  }
  const dir = dataDir ?? mkdtempSync(join(tmpdir(), 'oid4vci-test-'));
  return {
    env: { DATABASE_PATH: join(dir, 'playground.db') },
    async drop() {
      if (!dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The store a test opens beside (or without) a server, on the run's engine. */
export async function openTestStore(config: Config): Promise<Store> {
  return openStore(config.database, () => {});
}

/** Rate limits no test of the protocol reaches. */
export const UNLIMITED = { RATE_LIMIT_WALLET: '1000000', RATE_LIMIT_OFFERS: '1000000', RATE_LIMIT_MANAGEMENT: '1000000' };

export async function startServer(
  options: { basePath?: string; now?: () => number; dataDir?: string; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const port = await freePort();
  const database = testDatabase(options.dataDir);
  const origin = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `${origin}${options.basePath ?? ''}`,
    LOG_LEVEL: 'silent',
    // Every test talks from 127.0.0.1: the rate limits have tests of their own.
    ...UNLIMITED,
    ...database.env,
    ...options.env,
  };
  const config = loadConfig(env);
  const store = await openTestStore(config);
  const deps = await createDeps(config, store, options.now ?? Date.now, () => {});
  const app = await buildApp(deps);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    issuer: config.publicUrl,
    origin,
    app,
    store,
    deps,
    env,
    async close() {
      await app.close();
      await store.close();
      await database.drop();
    },
  };
}

/**
 * Runs SQL behind the store's back, on the database an environment names: to prove what is never
 * stored, or to break a rule the store itself would never break.
 */
export async function rawSql(env: Record<string, string>, text: string): Promise<Array<Record<string, unknown>>> {
  const { database } = loadConfig({ LOG_LEVEL: 'silent', ...env });
  if (database.engine === 'postgres') {
    const client = new pg.Client({ connectionString: database.url, options: `-c search_path=${database.schema ?? 'public'}` });
    await client.connect();
    try {
      return (await client.query(text)).rows;
    } finally {
      await client.end();
    }
  }
  const db = new Database(database.path);
  try {
    const statement = db.prepare(text);
    if (statement.reader) return statement.all() as Array<Record<string, unknown>>;
    statement.run();
    return [];
  } finally {
    db.close();
  }
}

export function tableRows(server: TestServer, table: string): Promise<Array<Record<string, unknown>>> {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  return rawSql(server.env, `SELECT * FROM ${table}`);
}

/** A store on a fresh database of the run's engine, without a server. */
export async function scratchStore(
  dataDir?: string,
): Promise<{ store: Store; env: Record<string, string>; close(): Promise<void> }> {
  const database = testDatabase(dataDir);
  const store = await openTestStore(loadConfig({ LOG_LEVEL: 'silent', ...database.env }));
  return {
    store,
    env: database.env,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}
