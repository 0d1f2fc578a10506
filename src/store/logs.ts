import type { Db } from './database.ts';
import type { StoreChanges } from './index.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  id: number;
  session_id: string | null;
  level: LogLevel;
  endpoint: string;
  message: string;
  data: Record<string, unknown>;
  created_at: number;
}

export type NewLogEntry = Omit<LogEntry, 'id'>;

interface LogRow extends Omit<LogEntry, 'data'> {
  data: string;
}

const toEntry = (row: LogRow): LogEntry => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> });

export function logRepo(db: Db, changes: StoreChanges) {
  const insert = db.prepare(
    'INSERT INTO logs (session_id, level, endpoint, message, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const countFor = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM logs WHERE session_id = ?');
  const countOrphans = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM logs WHERE session_id IS NULL');
  const pageFor = db.prepare<[string, number, number], LogRow>(
    'SELECT * FROM logs WHERE session_id = ? ORDER BY id DESC LIMIT ? OFFSET ?',
  );
  const pageOrphans = db.prepare<[number, number], LogRow>(
    'SELECT * FROM logs WHERE session_id IS NULL ORDER BY id DESC LIMIT ? OFFSET ?',
  );
  const writeMany = db.transaction((entries: NewLogEntry[]) => {
    for (const e of entries) insert.run(e.session_id, e.level, e.endpoint, e.message, JSON.stringify(e.data), e.created_at);
  });

  return {
    write(entries: NewLogEntry[]): void {
      if (entries.length === 0) return;
      writeMany(entries);
      for (const sessionId of new Set(entries.map((e) => e.session_id))) changes.announce(sessionId);
    },
    /** Newest first; sessionId null selects the stream of requests tied to no session. */
    page(sessionId: string | null, limit: number, offset: number): { total: number; entries: LogEntry[] } {
      if (sessionId === null) {
        return { total: countOrphans.get()!.n, entries: pageOrphans.all(limit, offset).map(toEntry) };
      }
      return { total: countFor.get(sessionId)!.n, entries: pageFor.all(sessionId, limit, offset).map(toEntry) };
    },
  };
}
