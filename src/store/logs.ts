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

/** Narrows a log listing; afterId returns only entries newer than a given one (live updates). */
export interface LogFilter {
  level?: LogLevel;
  endpoint?: string;
  afterId?: number;
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
  // `session_id IS @session` matches NULL too, so one statement serves sessions and the unassigned stream.
  const filterSql = `session_id IS @session AND (@level IS NULL OR level = @level)
     AND (@endpoint IS NULL OR endpoint = @endpoint) AND id > @after`;
  type FilterParams = { session: string | null; level: string | null; endpoint: string | null; after: number };
  const countFiltered = db.prepare<FilterParams, { n: number }>(`SELECT count(*) AS n FROM logs WHERE ${filterSql}`);
  const pageFiltered = db.prepare<FilterParams & { limit: number; offset: number }, LogRow>(
    `SELECT * FROM logs WHERE ${filterSql} ORDER BY id DESC LIMIT @limit OFFSET @offset`,
  );
  const newerFiltered = db.prepare<FilterParams, LogRow>(`SELECT * FROM logs WHERE ${filterSql} ORDER BY id ASC LIMIT 500`);
  const allFor = db.prepare<[string], LogRow>('SELECT * FROM logs WHERE session_id = ? ORDER BY id ASC');
  const endpointsFor = db.prepare<[string | null], { endpoint: string }>(
    'SELECT DISTINCT endpoint FROM logs WHERE session_id IS ? ORDER BY endpoint',
  );
  const filterParams = (sessionId: string | null, filter: LogFilter): FilterParams => ({
    session: sessionId,
    level: filter.level ?? null,
    endpoint: filter.endpoint ?? null,
    after: filter.afterId ?? 0,
  });
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
    /** Like page, narrowed by level, endpoint and afterId; newest first. */
    filteredPage(sessionId: string | null, filter: LogFilter, limit: number, offset: number): { total: number; entries: LogEntry[] } {
      const params = filterParams(sessionId, filter);
      return { total: countFiltered.get(params)!.n, entries: pageFiltered.all({ ...params, limit, offset }).map(toEntry) };
    },
    /** Entries after filter.afterId, oldest first (at most 500), for a live stream to catch up. */
    newer(sessionId: string | null, filter: LogFilter): LogEntry[] {
      return newerFiltered.all(filterParams(sessionId, filter)).map(toEntry);
    },
    /** Every entry of a session, oldest first: the timeline and the download. */
    listAll(sessionId: string): LogEntry[] {
      return allFor.all(sessionId).map(toEntry);
    },
    /** The endpoints that appear in a session's (or the unassigned stream's) logs, for the filter. */
    endpoints(sessionId: string | null): string[] {
      return endpointsFor.all(sessionId).map((row) => row.endpoint);
    },
  };
}
