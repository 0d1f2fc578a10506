import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../store.ts';

/** migrations/sqlite and migrations/postgres hold the same schema, step by step, in each dialect. */
export function migrationsDir(engine: Engine): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'migrations', engine);
}
