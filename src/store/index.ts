import type { Config } from '../config.ts';
import { openPostgresStore } from './engines/postgres.ts';
import { openSqliteStore } from './engines/sqlite.ts';
import type { Store } from './store.ts';

export type { Engine, Repositories, Store } from './store.ts';

/** The engine the configuration names: PostgreSQL when DATABASE_URL is set, else the embedded SQLite file. */
export function openStore(config: Config['database'], onError: (error: Error, context: string) => void): Promise<Store> {
  if (config.engine === 'postgres') return openPostgresStore({ ...config, onError });
  return Promise.resolve(openSqliteStore(config.path));
}
