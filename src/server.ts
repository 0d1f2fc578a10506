import { buildApp } from './app.ts';
import { ConfigError, describeDatabase, loadConfig } from './config.ts';
import { createDeps } from './protocol/deps.ts';
import { schedulePruning } from './retention/schedule.ts';
import { openStore } from './store/index.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const store = await openStore(config.database, (error, context) => console.error(`database (${context}): ${error.message}`));
  const app = await buildApp(await createDeps(config, store, Date.now, (message) => console.warn(message)));

  const pruning = schedulePruning(store, config.retention, Date.now, app.log);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await pruning.stop();
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
