import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Marks the async work of a transaction body, so that a store call that bypasses the body's `tx`
 * is caught at once instead of deadlocking (SQLite) or escaping the transaction (PostgreSQL).
 */
const inTransaction = new AsyncLocalStorage<true>();

export function runInTransaction<T>(body: () => Promise<T>): Promise<T> {
  return inTransaction.run(true, body);
}

export function assertOutsideTransaction(): void {
  if (inTransaction.getStore()) throw new Error("store call inside a transaction body: use the body's tx, not the store");
}
