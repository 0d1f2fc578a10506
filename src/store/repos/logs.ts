import type { Finding } from '../../checks/finding.ts';
import type { LogEntry, LogFilter, NewLogEntry, PollsRecord, RequestRecord, TrailRecord } from '../../domain/log.ts';
import { json, parsed, sql, type Executor, type Param, type Query } from '../sql.ts';

interface LogRow {
  id: number;
  session_id: string | null;
  request_id: string;
  kind: string;
  level: LogEntry['level'];
  endpoint: string;
  created_at: number;
  aggregate_key: string | null;
  findings: string | null;
  record: string;
}

const toEntry = (row: LogRow): LogEntry => ({
  id: row.id,
  session_id: row.session_id,
  request_id: row.request_id,
  level: row.level,
  endpoint: row.endpoint,
  created_at: row.created_at,
  aggregate_key: row.aggregate_key,
  record: parsed<TrailRecord>(row.record),
  findings: row.findings === null ? [] : parsed<Finding[]>(row.findings),
});

const COLUMNS = 'id, session_id, request_id, kind, level, endpoint, created_at, aggregate_key, findings, record';
const insert = sql(
  `INSERT INTO log_entries (session_id, request_id, kind, level, endpoint, created_at, http_status, duration_ms, aggregate_key, findings, record)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);

// A session's entries and the unassigned stream (session_id NULL) get statements of their own, so
// both engines can use the (session_id, id) index (PostgreSQL cannot for IS NOT DISTINCT FROM).
function scoped(where: string) {
  const filter = `${where} AND (CAST(? AS TEXT) IS NULL OR level = ?) AND (CAST(? AS TEXT) IS NULL OR endpoint = ?) AND id > ?`;
  return {
    count: sql(`SELECT count(*) AS n FROM log_entries WHERE ${filter}`),
    page: sql(`SELECT ${COLUMNS} FROM log_entries WHERE ${filter} ORDER BY id DESC LIMIT ? OFFSET ?`),
    newer: sql(`SELECT ${COLUMNS} FROM log_entries WHERE ${filter} ORDER BY id ASC LIMIT ?`),
    since: sql(`SELECT ${COLUMNS} FROM log_entries WHERE ${filter} AND created_at >= ? ORDER BY id ASC LIMIT ?`),
    endpoints: sql(`SELECT DISTINCT endpoint FROM log_entries WHERE ${where} ORDER BY endpoint`),
  };
}
const ofSession = scoped('session_id = ?');
const unassigned = scoped('session_id IS NULL');
const statements = (sessionId: string | null) => (sessionId === null ? unassigned : ofSession);
const scopeParams = (sessionId: string | null): Param[] => (sessionId === null ? [] : [sessionId]);
const filterParams = (sessionId: string | null, filter: LogFilter): Param[] => [
  ...scopeParams(sessionId),
  filter.level ?? null,
  filter.level ?? null,
  filter.endpoint ?? null,
  filter.endpoint ?? null,
  filter.afterId ?? 0,
];

const allFor = sql(`SELECT ${COLUMNS} FROM log_entries WHERE session_id = ? ORDER BY id ASC`);
const requestsOf = (count: number): Query =>
  sql(`SELECT ${COLUMNS} FROM log_entries WHERE kind = 'request' AND request_id IN (${Array(count).fill('?').join(', ')})`);
const exchanges = sql(
  `SELECT id, endpoint, created_at, http_status, duration_ms, kind, CASE WHEN kind = 'polls' THEN record END AS polls FROM log_entries
   WHERE session_id = ? AND kind IN ('request', 'polls') ORDER BY id ASC`,
);
const findingsFor = sql('SELECT id, created_at, findings FROM log_entries WHERE session_id = ? AND findings IS NOT NULL ORDER BY id ASC');
const aggregateByKey = sql(`SELECT ${COLUMNS} FROM log_entries WHERE aggregate_key = ?`);
const removeById = sql('DELETE FROM log_entries WHERE id = ?');

/** One HTTP exchange of a session, as the timeline needs it. */
export interface Exchange {
  id: number;
  endpoint: string;
  created_at: number;
  http_status: number | null;
  duration_ms: number | null;
  kind: 'request' | 'polls';
  /** The summary record of a 'polls' exchange. */
  polls?: PollsRecord;
}

function row(db: Executor, e: NewLogEntry, aggregateKey: string | null): Param[] {
  const { record } = e;
  const exchange = record.kind === 'request' ? record : record.kind === 'polls' ? { status: 202, duration_ms: null } : undefined;
  const findings = e.findings.length > 0 ? json(e.findings) : null;
  const text = json(record);
  db.counters.logBytes += text.length + (findings?.length ?? 0);
  return [
    e.session_id, e.request_id, record.kind, e.level, e.endpoint, e.created_at,
    exchange?.status ?? null, exchange?.duration_ms ?? null, aggregateKey, findings, text,
  ];
}

export function logRepo(db: Executor) {
  return {
    async append(entries: readonly NewLogEntry[]): Promise<void> {
      for (const e of entries) await db.run(insert, row(db, e, null));
      for (const sessionId of new Set(entries.map((e) => e.session_id))) db.announce(sessionId);
    },
    /** Newest first, narrowed by level, endpoint and afterId; sessionId null selects the unassigned stream. */
    async filteredPage(sessionId: string | null, filter: LogFilter, limit: number, offset: number): Promise<{ total: number; entries: LogEntry[] }> {
      const s = statements(sessionId);
      const params = filterParams(sessionId, filter);
      const count = await db.get<{ n: number }>(s.count, params);
      return { total: count?.n ?? 0, entries: (await db.all<LogRow>(s.page, [...params, limit, offset])).map(toEntry) };
    },
    /** Entries after filter.afterId, oldest first, for a live stream to catch up. */
    async newer(sessionId: string | null, filter: LogFilter, limit: number): Promise<LogEntry[]> {
      return (await db.all<LogRow>(statements(sessionId).newer, [...filterParams(sessionId, filter), limit])).map(toEntry);
    },
    /** Entries created since a moment, oldest first: a live stream re-reads them for commits that landed late. */
    async since(sessionId: string | null, filter: LogFilter, sinceMs: number, limit: number): Promise<LogEntry[]> {
      return (await db.all<LogRow>(statements(sessionId).since, [...filterParams(sessionId, { ...filter, afterId: 0 }), sinceMs, limit])).map(toEntry);
    },
    /** Every entry of a session, oldest first: the download. */
    async listAll(sessionId: string): Promise<LogEntry[]> {
      return (await db.all<LogRow>(allFor, [sessionId])).map(toEntry);
    },
    /** The request records of these requests, by request id: where the JWTs of their check records are kept. */
    async requests(requestIds: readonly string[]): Promise<Map<string, RequestRecord>> {
      const unique = [...new Set(requestIds)];
      if (unique.length === 0) return new Map();
      const rows = await db.all<LogRow>(requestsOf(unique.length), unique);
      return new Map(rows.map((r) => [r.request_id, parsed<RequestRecord>(r.record)]));
    },
    /** A session's HTTP exchanges (requests and poll summaries), oldest first. */
    async exchanges(sessionId: string): Promise<Exchange[]> {
      const rows = await db.all<Omit<Exchange, 'polls'> & { polls: string | null }>(exchanges, [sessionId]);
      return rows.map(({ polls, ...x }) => (polls === null ? x : { ...x, polls: parsed<PollsRecord>(polls) }));
    },
    /** Every finding of a session with the entry that holds it, oldest first: the conformance report's input. */
    async findings(sessionId: string): Promise<Array<{ id: number; created_at: number; findings: Finding[] }>> {
      const rows = await db.all<{ id: number; created_at: number; findings: string }>(findingsFor, [sessionId]);
      return rows.map((r) => ({ id: r.id, created_at: r.created_at, findings: parsed<Finding[]>(r.findings) }));
    },
    /** The endpoints that appear in a session's (or the unassigned stream's) logs, for the filter. */
    async endpoints(sessionId: string | null): Promise<string[]> {
      return (await db.all<{ endpoint: string }>(statements(sessionId).endpoints, scopeParams(sessionId))).map((r) => r.endpoint);
    },
    /** The record that repeated requests (deferred polls) keep under one key. */
    async aggregate(key: string): Promise<LogEntry | undefined> {
      const found = await db.get<LogRow>(aggregateByKey, [key]);
      return found && toEntry(found);
    },
    /** Replaces the record under key with a new entry, so it stays the newest. Call in the transaction that read it. */
    async replaceAggregate(key: string, entry: NewLogEntry): Promise<void> {
      const previous = await db.get<{ id: number }>(aggregateByKey, [key]);
      if (previous) await db.run(removeById, [previous.id]);
      await db.run(insert, row(db, entry, key));
      db.announce(entry.session_id);
    },
  };
}
