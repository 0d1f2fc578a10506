import type { StoreChanges } from './changes.ts';
import type { Repositories } from './repos/index.ts';
import type { StoreCounters } from './sql.ts';

export type Engine = 'sqlite' | 'postgres';

/**
 * The only way the rest of the code reaches data. Repository calls on the store itself each run
 * as their own statement; `transaction` runs a body of calls as one unit that commits (with the
 * change notices it announced) or rolls back as a whole, on either engine.
 */
export interface Store extends Repositories {
  readonly engine: Engine;
  readonly changes: StoreChanges;
  transaction<T>(body: (tx: Repositories) => Promise<T>): Promise<T>;
  /**
   * Hands the space of deleted rows back to the file system where the engine needs to be told:
   * SQLite files created with incremental auto-vacuum shrink; older SQLite files reuse their free
   * pages instead, and PostgreSQL's autovacuum makes dead rows' space reusable on its own.
   */
  compact(): Promise<void>;
  /** Resolves when the database answers; rejects (or times out) otherwise. */
  ping(): Promise<void>;
  /** Transactions, statements and log bytes so far, for the benchmark. */
  readonly counters: StoreCounters;
  close(): Promise<void>;
}

export type { Repositories } from './repos/index.ts';
