import { OUTCOME_RANK, statusRank, type Session, type SessionStatus, type SessionSummary } from '../../domain/session.ts';
import { json, parsed, sql, type Executor } from '../sql.ts';

interface SessionRow {
  id: string;
  status: string;
  grant_type: string;
  credential_configuration_ids: string;
  options: string;
  created_at: number;
  updated_at: number;
}

const toSession = (row: SessionRow): Session => ({
  ...row,
  status: row.status as SessionStatus,
  credential_configuration_ids: parsed<string[]>(row.credential_configuration_ids),
  options: parsed<Session['options']>(row.options),
});

// The rank of the stored status, computed in SQL so that advancing is one conditional UPDATE.
const rankSql = `CASE status ${Object.entries(statusRank).map(([s, r]) => `WHEN '${s}' THEN ${r}`).join(' ')} ELSE ${OUTCOME_RANK} END`;

const insert = sql(
  `INSERT INTO sessions (id, status, grant_type, credential_configuration_ids, options, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
);
const byId = sql('SELECT * FROM sessions WHERE id = ?');
// Setup steps move forward only; outcomes (rank 3) replace each other. Either way the session is touched.
const advance = sql(
  `UPDATE sessions SET status = CASE WHEN ? >= ${OUTCOME_RANK} OR ${rankSql} < ? THEN ? ELSE status END, updated_at = ? WHERE id = ? RETURNING status`,
);
const listPage = sql(
  `SELECT s.*,
     (SELECT count(*) FROM log_entries l WHERE l.session_id = s.id AND l.level = 'error') AS error_count,
     (SELECT max(l.created_at) FROM log_entries l WHERE l.session_id = s.id) AS last_log_at
   FROM sessions s WHERE CAST(? AS TEXT) IS NULL OR s.status = ?
   ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`,
);
const countByStatus = sql('SELECT status, count(*) AS n FROM sessions GROUP BY status');

export function sessionRepo(db: Executor) {
  const counts = async (): Promise<Partial<Record<SessionStatus, number>>> =>
    Object.fromEntries((await db.all<{ status: string; n: number }>(countByStatus)).map((row) => [row.status, row.n]));
  return {
    async insert(session: Session): Promise<void> {
      await db.run(insert, [session.id, session.status, session.grant_type, json(session.credential_configuration_ids), json(session.options), session.created_at, session.updated_at]);
      db.announce(session.id);
    },
    async get(id: string): Promise<Session | undefined> {
      const row = await db.get<SessionRow>(byId, [id]);
      return row && toSession(row);
    },
    /** Newest first, optionally only one status; total counts the filtered sessions. */
    async list(status: SessionStatus | null, limit: number, offset: number): Promise<{ total: number; sessions: SessionSummary[] }> {
      const all = await counts();
      const total = status === null ? Object.values(all).reduce((a, b) => a + b, 0) : (all[status] ?? 0);
      const rows = await db.all<SessionRow & { error_count: number; last_log_at: number | null }>(listPage, [status, status, limit, offset]);
      return {
        total,
        sessions: rows.map(({ error_count, last_log_at, ...row }) => ({
          ...toSession(row),
          error_count,
          last_activity_at: Math.max(row.updated_at, last_log_at ?? 0),
        })),
      };
    },
    countByStatus: counts,
    /** A late offer fetch never undoes an issued credential; outcomes replace each other. False when the status stayed. */
    async advance(id: string, status: SessionStatus, now: number): Promise<boolean> {
      const row = await db.get<{ status: string }>(advance, [statusRank[status], statusRank[status], status, now, id]);
      db.announce(id);
      return row?.status === status;
    },
  };
}
