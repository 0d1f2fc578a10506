// The one seam between repositories and database engines. Every query is written once, in the
// SQL both engines share (ON CONFLICT, RETURNING, IS NOT DISTINCT FROM, CASE), with `?` for
// parameters; each engine prepares it once in its own dialect.
import { createHash } from 'node:crypto';

export type Param = string | number | null;

export interface Query {
  readonly text: string;
  /** Stable name for engines that keep named prepared statements (PostgreSQL). */
  readonly name: string;
}

export const sql = (text: string): Query => ({
  text,
  name: `q_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`,
});

/** What the benchmark reads: transactions (explicit, or autocommitted writes), statements, bytes of log records. */
export interface StoreCounters {
  transactions: number;
  statements: number;
  logBytes: number;
}

/** How repositories reach the database: inside a transaction, or one autocommitted statement at a time. */
export interface Executor {
  readonly counters: StoreCounters;
  all<T>(query: Query, params?: readonly Param[]): Promise<T[]>;
  get<T>(query: Query, params?: readonly Param[]): Promise<T | undefined>;
  /** The number of rows the statement changed. */
  run(query: Query, params?: readonly Param[]): Promise<number>;
  /** Tells live pages that a session (or, with null, the unassigned log) changed, once the change is committed. */
  announce(sessionId: string | null): void;
}

/** JSON columns are TEXT on both engines. */
export const json = (value: unknown): string => JSON.stringify(value);
export const parsed = <T>(text: string): T => JSON.parse(text) as T;
