import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { createDeps } from './protocol/deps.ts';
import { openStore } from './store/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const store = openStore(config.databasePath);
  const app = await buildApp(await createDeps(config, store, Date.now, (message) => console.warn(message)));

  const purge = setInterval(() => {
    store.nonces.purgeExpired(Date.now());
    store.anchors.purgeExpiredPopJtis(Date.now());
  }, 60_000);
  purge.unref();
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    clearInterval(purge);
    await app.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info({ issuer: config.publicUrl, database: config.databasePath }, 'OID4VCI issuer playground ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
