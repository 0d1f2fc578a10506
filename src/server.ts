import { buildApp } from './app.ts';
import { ConfigError, describeDatabase, loadConfig } from './config.ts';
import { createDeps } from './protocol/deps.ts';
import { schedulePruning } from './retention/schedule.ts';
import { openStore } from './store/index.ts';

/** A start-up problem the operator can fix, told in one sentence rather than a stack trace. */
class StartupError extends Error {}

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

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await pruning.stop();
    await app.close();
    await store.close();
    throw (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
      ? new StartupError(
          `Port ${config.port} on ${config.host} is already in use (another playground, or another server?). Stop it, or start this one with PORT=<free port>, e.g. PORT=3001 npm start.`,
        )
      : error;
  }
  app.log.info({ issuer: config.publicUrl, database: describeDatabase(config.database) }, 'OID4VCI issuer playground ready');
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof StartupError ? error.message : error);
  process.exit(1);
});
