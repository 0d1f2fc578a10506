import type { Outcome } from '../../checks/finding.ts';
import {
  findingsOf,
  type LogEntry,
  type LogFilter,
  type NewLogEntry,
  type PollsRecord,
  type RuleGroup,
  type TrailRecord,
} from '../../domain/log.ts';
import { type Executor, type Param, parsed, sql } from '../sql.ts';

interface LogRow {
  id: number;
  session_id: string | null;
  level: LogEntry['level'];
  endpoint: string;
  created_at: number;
  http_status: number | null;
  duration_ms: number | null;
  aggregate_key: string | null;
  records: string;
}

const toEntry = (row: LogRow): LogEntry => ({ ...row, records: parsed<TrailRecord[]>(row.records) });

const COLUMNS = 'id, session_id, level, endpoint, created_at, http_status, duration_ms, aggregate_key, records';
const insert = sql(
  `INSERT INTO log_entries (session_id, level, endpoint, created_at, http_status, duration_ms, aggregate_key, rules, records)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);

// A session's entries and the unassigned stream (session_id NULL) get statements of their own, so
// both engines can use the (session_id, id) index (PostgreSQL cannot for IS NOT DISTINCT FROM).
function scoped(where: string) {
  const filter = `${where} AND (CAST(? AS TEXT) IS NULL OR level = ?) AND (CAST(? AS TEXT) IS NULL OR endpoint = ?) AND id > ?`;
  return {
    count: sql(`SELECT count(*) AS n FROM log_entries WHERE ${filter}`),
    page: sql(`SELECT ${COLUMNS} FROM log_entries WHERE ${filter} ORDER BY id DESC LIMIT ? OFFSET ?`),
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
// Pages of a long session read counts and the few newest (or oldest) rows per group, which the
// database computes (GROUP BY, indexes, ROW_NUMBER windows on both engines), instead of every entry.
const exchangeCounts = sql('SELECT endpoint, COUNT(*) AS total FROM log_entries WHERE session_id = ? GROUP BY endpoint');
const recentAtEndpoint = sql(
  'SELECT id, endpoint, created_at, http_status, duration_ms FROM log_entries WHERE session_id = ? AND endpoint = ? ORDER BY id DESC LIMIT ?',
);
const latestPolls = sql(
  'SELECT records FROM log_entries WHERE session_id = ? AND aggregate_key IS NOT NULL ORDER BY id DESC LIMIT 1',
);
// Entries with the same rule outcomes (every clean credential request) form one group: one scan
// and one sort. string_agg is in PostgreSQL and in SQLite since 3.44.
const ruleGroups = sql(
  `SELECT rules, COUNT(*) AS total, MIN(created_at) AS first_at, MAX(created_at) AS last_at, string_agg(CAST(id AS TEXT), ',') AS ids
   FROM log_entries WHERE session_id = ? AND rules IS NOT NULL GROUP BY rules`,
);
const entryOfSession = sql('SELECT id FROM log_entries WHERE id = ? AND session_id = ?');
const newerInSession = sql('SELECT COUNT(*) AS n FROM log_entries WHERE session_id = ? AND id > ?');
const aggregateByKey = sql(`SELECT ${COLUMNS} FROM log_entries WHERE aggregate_key = ?`);
const removeById = sql('DELETE FROM log_entries WHERE id = ?');

/** One HTTP exchange of a session, as the timeline needs it. */
export interface Exchange {
  id: number;
  endpoint: string;
  created_at: number;
  http_status: number | null;
  duration_ms: number | null;
}

/** A session's newest exchanges at one endpoint, oldest first, and how many there were in all. */
export interface EndpointExchanges {
  total: number;
  recent: Exchange[];
}

const OUTCOME_CODES: Record<Outcome, string> = { pass: 'p', warn: 'w', fail: 'f' };
const OUTCOMES: Record<string, Outcome> = { p: 'pass', w: 'warn', f: 'fail' };

function parseRules(text: string): RuleGroup['rules'] {
  return text.split(',').map((pair) => {
    const at = pair.lastIndexOf('=');
    return { rule: pair.slice(0, at), outcome: OUTCOMES[pair.slice(at + 1)]! };
  });
}

function row(db: Executor, e: NewLogEntry, aggregateKey: string | null): Param[] {
  const findings = findingsOf(e.records);
  const rules = findings.length > 0 ? findings.map((f) => `${f.rule}=${OUTCOME_CODES[f.outcome]}`).join(',') : null;
  const records = e.recordsJson ?? JSON.stringify(e.records);
  db.counters.logBytes += records.length + (rules?.length ?? 0);
  return [e.session_id, e.level, e.endpoint, e.created_at, e.http_status, e.duration_ms, aggregateKey, rules, records];
}

export function logRepo(db: Executor) {
  return {
    async append(entry: NewLogEntry): Promise<void> {
      await db.run(insert, row(db, entry, null));
      db.announce(entry.session_id);
    },
    /** How many of a session's entries are newer than one of its entries (its place in the newest-first list); undefined when it is not the session's. */
    async newerThan(sessionId: string, entryId: number): Promise<number | undefined> {
      if (!(await db.get(entryOfSession, [entryId, sessionId]))) return undefined;
      return (await db.get<{ n: number }>(newerInSession, [sessionId, entryId]))?.n ?? 0;
    },
    /** How many entries a filteredPage would page through. */
    async count(sessionId: string | null, filter: LogFilter): Promise<number> {
      return (await db.get<{ n: number }>(statements(sessionId).count, filterParams(sessionId, filter)))?.n ?? 0;
    },
    /** Newest first, narrowed by level, endpoint and afterId; sessionId null selects the unassigned stream. */
    async filteredPage(
      sessionId: string | null,
      filter: LogFilter,
      limit: number,
      offset: number,
    ): Promise<{ total: number; entries: LogEntry[] }> {
      const s = statements(sessionId);
      const params = filterParams(sessionId, filter);
      const count = await db.get<{ n: number }>(s.count, params);
      return { total: count?.n ?? 0, entries: (await db.all<LogRow>(s.page, [...params, limit, offset])).map(toEntry) };
    },
    /** Entries created since a moment, oldest first: a live stream re-reads them for commits that landed late. */
    async since(sessionId: string | null, filter: LogFilter, sinceMs: number, limit: number): Promise<LogEntry[]> {
      return (
        await db.all<LogRow>(statements(sessionId).since, [...filterParams(sessionId, { ...filter, afterId: 0 }), sinceMs, limit])
      ).map(toEntry);
    },
    /** Every entry of a session, oldest first: the download. */
    async listAll(sessionId: string): Promise<LogEntry[]> {
      return (await db.all<LogRow>(allFor, [sessionId])).map(toEntry);
    },
    /** For each of `endpoints`, a session's newest `perEndpoint` exchanges (poll summaries included), oldest first, and their count. */
    async recentExchanges(
      sessionId: string,
      endpoints: readonly string[],
      perEndpoint: number,
    ): Promise<Map<string, EndpointExchanges>> {
      const totals = new Map(
        (await db.all<{ endpoint: string; total: number }>(exchangeCounts, [sessionId])).map((t) => [t.endpoint, t.total]),
      );
      const byEndpoint = new Map<string, EndpointExchanges>();
      for (const endpoint of endpoints) {
        const total = totals.get(endpoint);
        if (!total) continue;
        const recent = await db.all<Exchange>(recentAtEndpoint, [sessionId, endpoint, perEndpoint]);
        byEndpoint.set(endpoint, { total, recent: recent.reverse() });
      }
      return byEndpoint;
    },
    /** The summary record of the session's most recent repeated polls. */
    async latestPolls(sessionId: string): Promise<PollsRecord | undefined> {
      const found = await db.get<{ records: string }>(latestPolls, [sessionId]);
      return found ? parsed<TrailRecord[]>(found.records).find((r): r is PollsRecord => r.kind === 'polls') : undefined;
    },
    /**
     * The conformance report's input: entries grouped by their rule outcomes, with the group's
     * size, first and last time and its oldest `idsPerGroup` entry ids.
     */
    async ruleGroups(sessionId: string, idsPerGroup: number): Promise<RuleGroup[]> {
      const rows = await db.all<{ rules: string; total: number; first_at: number; last_at: number; ids: string }>(ruleGroups, [
        sessionId,
      ]);
      return rows.map((r) => ({
        rules: parseRules(r.rules),
        count: r.total,
        first_at: r.first_at,
        last_at: r.last_at,
        // The aggregate's order is the engine's; the oldest are the smallest ids.
        entry_ids: r.ids
          .split(',')
          .map(Number)
          .sort((a, b) => a - b)
          .slice(0, idsPerGroup),
      }));
    },
    /** The endpoints that appear in a session's (or the unassigned stream's) logs, for the filter. */
    async endpoints(sessionId: string | null): Promise<string[]> {
      return (await db.all<{ endpoint: string }>(statements(sessionId).endpoints, scopeParams(sessionId))).map((r) => r.endpoint);
    },
    /** The entry that repeated requests (deferred polls) keep under one key. */
    async aggregate(key: string): Promise<LogEntry | undefined> {
      const found = await db.get<LogRow>(aggregateByKey, [key]);
      return found && toEntry(found);
    },
    /** Replaces the entry under key with a new one, so it stays the newest. Call in the transaction that read it. */
    async replaceAggregate(key: string, entry: NewLogEntry): Promise<void> {
      const previous = await db.get<{ id: number }>(aggregateByKey, [key]);
      if (previous) await db.run(removeById, [previous.id]);
      await db.run(insert, row(db, entry, key));
      db.announce(entry.session_id);
    },
  };
}
