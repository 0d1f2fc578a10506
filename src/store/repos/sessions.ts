import { OUTCOME_RANK, type Session, type SessionStatus, type SessionSummary, statusRank } from '../../domain/session.ts';
import { type Executor, json, parsed, sql } from '../sql.ts';

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
const rankSql = `CASE status ${Object.entries(statusRank)
  .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
  .join(' ')} ELSE ${OUTCOME_RANK} END`;

// Never SELECT *: token_hash stays in the database, out of Session objects and so out of every page and API.
const COLUMNS = 'id, status, grant_type, credential_configuration_ids, options, created_at, updated_at';
const insert = sql(`INSERT INTO sessions (${COLUMNS}, token_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
const byId = sql(`SELECT ${COLUMNS} FROM sessions WHERE id = ?`);
const tokenMatches = sql('SELECT 1 AS ok FROM sessions WHERE id = ? AND token_hash = ?');
const addToWorkspace = sql(
  'INSERT INTO workspace_sessions (workspace_hash, session_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
);
const inWorkspace = sql('SELECT 1 AS ok FROM workspace_sessions WHERE workspace_hash = ? AND session_id = ?');
// Setup steps move forward only; outcomes (rank 3) replace each other. Either way the session is touched.
const advance = sql(
  `UPDATE sessions SET status = CASE WHEN ? >= ${OUTCOME_RANK} OR ${rankSql} < ? THEN ? ELSE status END, updated_at = ? WHERE id = ? RETURNING status`,
);
// The workspace parameter is NULL for the operator, who sees every session.
const visible =
  'CAST(? AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM workspace_sessions w WHERE w.session_id = s.id AND w.workspace_hash = ?)';
const listPage = sql(
  `SELECT ${COLUMNS.split(', ')
    .map((c) => `s.${c}`)
    .join(', ')},
     (SELECT count(*) FROM log_entries l WHERE l.session_id = s.id AND l.level = 'error') AS error_count,
     (SELECT max(l.created_at) FROM log_entries l WHERE l.session_id = s.id) AS last_log_at
   FROM sessions s WHERE (${visible}) AND (CAST(? AS TEXT) IS NULL OR s.status = ?)
   ORDER BY s.created_at DESC, s.id DESC LIMIT ? OFFSET ?`,
);
const setOptions = sql('UPDATE sessions SET options = ?, updated_at = ? WHERE id = ?');
const countByStatus = sql(`SELECT s.status, count(*) AS n FROM sessions s WHERE ${visible} GROUP BY s.status`);

/** Whose sessions a listing shows: one browser workspace's, or (null) every session, for the operator. */
export type SessionScope = { workspaceHash: string } | null;
const scopeParams = (scope: SessionScope) => [scope?.workspaceHash ?? null, scope?.workspaceHash ?? null];

export function sessionRepo(db: Executor) {
  const counts = async (scope: SessionScope): Promise<Partial<Record<SessionStatus, number>>> =>
    Object.fromEntries(
      (await db.all<{ status: string; n: number }>(countByStatus, scopeParams(scope))).map((row) => [row.status, row.n]),
    );
  return {
    /** tokenHash: SHA-256 of the session's capability (null for sessions only the operator opens). */
    async insert(session: Session, tokenHash: string | null): Promise<void> {
      await db.run(insert, [
        session.id,
        session.status,
        session.grant_type,
        json(session.credential_configuration_ids),
        json(session.options),
        session.created_at,
        session.updated_at,
        tokenHash,
      ]);
      db.announce(session.id);
    },
    async tokenMatches(id: string, tokenHash: string): Promise<boolean> {
      return (await db.get(tokenMatches, [id, tokenHash])) !== undefined;
    },
    async addToWorkspace(workspaceHash: string, id: string, now: number): Promise<void> {
      await db.run(addToWorkspace, [workspaceHash, id, now]);
    },
    async inWorkspace(workspaceHash: string, id: string): Promise<boolean> {
      return (await db.get(inWorkspace, [workspaceHash, id])) !== undefined;
    },
    async get(id: string): Promise<Session | undefined> {
      const row = await db.get<SessionRow>(byId, [id]);
      return row && toSession(row);
    },
    /** Newest first, of one workspace or (scope null) all, optionally only one status; total counts the filtered sessions. */
    async list(
      scope: SessionScope,
      status: SessionStatus | null,
      limit: number,
      offset: number,
    ): Promise<{ total: number; sessions: SessionSummary[] }> {
      const all = await counts(scope);
      const total = status === null ? Object.values(all).reduce((a, b) => a + b, 0) : (all[status] ?? 0);
      const rows = await db.all<SessionRow & { error_count: number; last_log_at: number | null }>(listPage, [
        ...scopeParams(scope),
        status,
        status,
        limit,
        offset,
      ]);
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
    /** The claims the tester approved on the consent page become what the session issues. */
    async setClaims(id: string, claims: Record<string, Record<string, unknown>>, now: number): Promise<void> {
      const row = await db.get<SessionRow>(byId, [id]);
      if (!row) return;
      const options = parsed<Session['options']>(row.options);
      await db.run(setOptions, [json({ ...options, claims: { ...options.claims, ...claims } }), now, id]);
      db.announce(id);
    },
    /** A late offer fetch never undoes an issued credential; outcomes replace each other. False when the status stayed. */
    async advance(id: string, status: SessionStatus, now: number): Promise<boolean> {
      const row = await db.get<{ status: string }>(advance, [statusRank[status], statusRank[status], status, now, id]);
      db.announce(id);
      return row?.status === status;
    },
  };
}
