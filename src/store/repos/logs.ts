import type { LogEntry, LogFilter, NewLogEntry } from '../../domain/log.ts';
import { json, parsed, sql, type Executor, type Param } from '../sql.ts';

type LogRow = Omit<LogEntry, 'data'> & { data: string };

const toEntry = (row: LogRow): LogEntry => ({ ...row, data: parsed<Record<string, unknown>>(row.data) });

const insert = sql('INSERT INTO logs (session_id, level, endpoint, message, data, created_at, aggregate_key) VALUES (?, ?, ?, ?, ?, ?, ?)');
// IS NOT DISTINCT FROM matches NULL too, so one statement serves sessions and the unassigned stream.
const FILTER = `session_id IS NOT DISTINCT FROM CAST(? AS TEXT) AND (CAST(? AS TEXT) IS NULL OR level = ?)
   AND (CAST(? AS TEXT) IS NULL OR endpoint = ?) AND id > ?`;
const countFiltered = sql(`SELECT count(*) AS n FROM logs WHERE ${FILTER}`);
const pageFiltered = sql(`SELECT * FROM logs WHERE ${FILTER} ORDER BY id DESC LIMIT ? OFFSET ?`);
const newerFiltered = sql(`SELECT * FROM logs WHERE ${FILTER} ORDER BY id ASC LIMIT 500`);
const allFor = sql('SELECT * FROM logs WHERE session_id = ? ORDER BY id ASC');
const endpointsFor = sql('SELECT DISTINCT endpoint FROM logs WHERE session_id IS NOT DISTINCT FROM CAST(? AS TEXT) ORDER BY endpoint');
const aggregateByKey = sql('SELECT * FROM logs WHERE aggregate_key = ?');
const removeById = sql('DELETE FROM logs WHERE id = ?');

const filterParams = (sessionId: string | null, filter: LogFilter): Param[] => [
  sessionId,
  filter.level ?? null,
  filter.level ?? null,
  filter.endpoint ?? null,
  filter.endpoint ?? null,
  filter.afterId ?? 0,
];

const row = (e: NewLogEntry, aggregateKey: string | null): Param[] => [e.session_id, e.level, e.endpoint, e.message, json(e.data), e.created_at, aggregateKey];

export function logRepo(db: Executor) {
  return {
    async write(entries: readonly NewLogEntry[]): Promise<void> {
      for (const e of entries) await db.run(insert, row(e, null));
      for (const sessionId of new Set(entries.map((e) => e.session_id))) db.announce(sessionId);
    },
    /** Newest first; sessionId null selects the stream of requests tied to no session. */
    page(sessionId: string | null, limit: number, offset: number): Promise<{ total: number; entries: LogEntry[] }> {
      return this.filteredPage(sessionId, {}, limit, offset);
    },
    /** Like page, narrowed by level, endpoint and afterId; newest first. */
    async filteredPage(sessionId: string | null, filter: LogFilter, limit: number, offset: number): Promise<{ total: number; entries: LogEntry[] }> {
      const params = filterParams(sessionId, filter);
      const count = await db.get<{ n: number }>(countFiltered, params);
      const rows = await db.all<LogRow>(pageFiltered, [...params, limit, offset]);
      return { total: count?.n ?? 0, entries: rows.map(toEntry) };
    },
    /** Entries after filter.afterId, oldest first (at most 500), for a live stream to catch up. */
    async newer(sessionId: string | null, filter: LogFilter): Promise<LogEntry[]> {
      return (await db.all<LogRow>(newerFiltered, filterParams(sessionId, filter))).map(toEntry);
    },
    /** Every entry of a session, oldest first: the timeline and the download. */
    async listAll(sessionId: string): Promise<LogEntry[]> {
      return (await db.all<LogRow>(allFor, [sessionId])).map(toEntry);
    },
    /** The endpoints that appear in a session's (or the unassigned stream's) logs, for the filter. */
    async endpoints(sessionId: string | null): Promise<string[]> {
      return (await db.all<{ endpoint: string }>(endpointsFor, [sessionId])).map((r) => r.endpoint);
    },
    /** The summary entry that repeated requests (deferred polls) keep under one key. */
    async aggregate(key: string): Promise<LogEntry | undefined> {
      const found = await db.get<LogRow>(aggregateByKey, [key]);
      return found && toEntry(found);
    },
    /** Replaces the summary under key with a new entry, so it stays the newest. Call in the transaction that read it. */
    async replaceAggregate(key: string, entry: NewLogEntry): Promise<void> {
      const previous = await db.get<{ id: number }>(aggregateByKey, [key]);
      if (previous) await db.run(removeById, [previous.id]);
      await db.run(insert, row(entry, key));
      db.announce(entry.session_id);
    },
  };
}
