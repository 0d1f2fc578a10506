// A real listening server on loopback with a real SQLite file, built the way src/server.ts builds it.
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createDeps, type AppDeps } from '../../src/protocol/deps.ts';
import { openStore, type Store } from '../../src/store/index.ts';

export interface TestServer {
  /** The Credential Issuer Identifier (PUBLIC_URL). */
  issuer: string;
  /** Origin the server listens on. */
  origin: string;
  app: FastifyInstance;
  store: Store;
  deps: AppDeps;
  databasePath: string;
  close(): Promise<void>;
}

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

export async function startServer(options: { basePath?: string; now?: () => number; dataDir?: string; env?: Record<string, string> } = {}): Promise<TestServer> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'oid4vci-test-'));
  const origin = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `${origin}${options.basePath ?? ''}`,
    DATABASE_PATH: join(dataDir, 'playground.db'),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const store = openStore(config.databasePath);
  const deps = await createDeps(config, store, options.now ?? Date.now, () => {});
  const app = await buildApp(deps);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    issuer: config.publicUrl,
    origin,
    app,
    store,
    deps,
    databasePath: config.databasePath,
    async close() {
      await app.close();
      store.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
