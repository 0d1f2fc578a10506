import { buildApp } from './app.ts';
import { ConfigError, describeDatabase, loadConfig } from './config.ts';
import { createDeps } from './protocol/deps.ts';
import { openStore } from './store/index.ts';

const PURGE_INTERVAL_MS = 60_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openStore(config.database, (error, context) => console.error(`database (${context}): ${error.message}`));
  const app = await buildApp(await createDeps(config, store, Date.now, (message) => console.warn(message)));

  const purge = setInterval(() => {
    const now = Date.now();
    Promise.all([store.nonces.purgeExpired(now), store.anchors.purgeExpiredPopJtis(now)]).catch((error: unknown) =>
      app.log.error({ err: error }, 'purging expired nonces failed'),
    );
  }, PURGE_INTERVAL_MS);
  purge.unref();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    clearInterval(purge);
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info({ issuer: config.publicUrl, database: describeDatabase(config.database) }, 'OID4VCI issuer playground ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
