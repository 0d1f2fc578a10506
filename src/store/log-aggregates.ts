import type { Db } from './database.ts';
import type { StoreChanges } from './index.ts';
import type { NewLogEntry } from './logs.ts';

/**
 * Repeated identical log entries (a wallet polling a pending transaction) are
 * kept as one entry under a key: each repetition replaces the previous entry
 * with an updated one, so it stays the newest and the log does not flood.
 */
export function logAggregateRepo(db: Db, changes: StoreChanges) {
  const byKey = db.prepare<[string], { id: number; data: string }>('SELECT id, data FROM logs WHERE aggregate_key = ?');
  const remove = db.prepare('DELETE FROM logs WHERE id = ?');
  const insert = db.prepare(
    'INSERT INTO logs (session_id, level, endpoint, message, data, created_at, aggregate_key) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const upsert = db.transaction((key: string, build: (previous: Record<string, unknown> | undefined) => NewLogEntry) => {
    const previous = byKey.get(key);
    const entry = build(previous && (JSON.parse(previous.data) as Record<string, unknown>));
    if (previous) remove.run(previous.id);
    insert.run(entry.session_id, entry.level, entry.endpoint, entry.message, JSON.stringify(entry.data), entry.created_at, key);
    return entry;
  });
  return {
    upsert(key: string, build: (previous: Record<string, unknown> | undefined) => NewLogEntry): void {
      const entry = upsert(key, build);
      changes.announce(entry.session_id);
    },
  };
}
