// What retention deletes, besides the expired nonces and jtis that their own repositories purge.
// Every statement deletes one bounded batch (its last parameter), so a call holds the SQLite write
// lock only briefly; callers repeat it while it deletes a full batch.
import { type Executor, sql } from '../sql.ts';

// A session's last activity (as the sessions list shows it) is the later of updated_at (its status
// changes) and its newest log entry: rejected requests and deferred polls are logged on a session
// without touching the row.
// created_at is never later than updated_at, so the created_at index finds the candidates.
// ON DELETE CASCADE removes every row that belongs to a deleted session, each table through its
// session_id index.
const deleteIdleSessions = sql(
  `DELETE FROM sessions WHERE id IN (
     SELECT s.id FROM sessions s
     WHERE s.created_at < ? AND s.updated_at < ?
       AND NOT EXISTS (SELECT 1 FROM log_entries l WHERE l.session_id = s.id AND l.created_at >= ?)
     ORDER BY s.created_at LIMIT ?)`,
);
// The unattributed stream (session_id NULL) is read through the (session_id, id) index, oldest first.
const deleteUnattributedBefore = sql(
  `DELETE FROM log_entries WHERE id IN (
     SELECT id FROM log_entries WHERE session_id IS NULL AND created_at < ? ORDER BY id LIMIT ?)`,
);
// The bound is the id of the newest entry beyond the cap; it is NULL, and nothing matches, while the stream fits.
const deleteUnattributedBeyondCap = sql(
  `DELETE FROM log_entries WHERE id IN (
     SELECT id FROM log_entries WHERE session_id IS NULL
       AND id <= (SELECT id FROM log_entries WHERE session_id IS NULL ORDER BY id DESC LIMIT 1 OFFSET ?)
     ORDER BY id LIMIT ?)`,
);
const deleteCodesExpiredBefore = sql(
  'DELETE FROM pre_authorized_codes WHERE code IN (SELECT code FROM pre_authorized_codes WHERE expires_at < ? LIMIT ?)',
);
const deleteTokensExpiredBefore = sql(
  'DELETE FROM access_tokens WHERE token_hash IN (SELECT token_hash FROM access_tokens WHERE expires_at < ? LIMIT ?)',
);
// The authorization code flow's single-use and rotating values, by the same rule (codes by issue time: they live 60 s).
const deleteFlowValuesExpiredBefore = [
  sql('DELETE FROM issuer_states WHERE issuer_state IN (SELECT issuer_state FROM issuer_states WHERE expires_at < ? LIMIT ?)'),
  sql('DELETE FROM par_requests WHERE reference_hash IN (SELECT reference_hash FROM par_requests WHERE expires_at < ? LIMIT ?)'),
  sql(
    'DELETE FROM authorization_codes WHERE code_hash IN (SELECT code_hash FROM authorization_codes WHERE issued_at < ? LIMIT ?)',
  ),
  sql('DELETE FROM refresh_tokens WHERE token_hash IN (SELECT token_hash FROM refresh_tokens WHERE expires_at < ? LIMIT ?)'),
];

export function retentionRepo(db: Executor) {
  return {
    /** Deletes up to `limit` sessions whose last activity was before `cutoff`, with everything that belongs to them. */
    deleteIdleSessions(cutoff: number, limit: number): Promise<number> {
      return db.run(deleteIdleSessions, [cutoff, cutoff, cutoff, limit]);
    },
    /** Deletes up to `limit` of the oldest unattributed log entries written before `cutoff`. */
    deleteUnattributedBefore(cutoff: number, limit: number): Promise<number> {
      return db.run(deleteUnattributedBefore, [cutoff, limit]);
    },
    /** Deletes up to `limit` of the oldest unattributed log entries beyond the newest `keep`. */
    deleteUnattributedBeyond(keep: number, limit: number): Promise<number> {
      return db.run(deleteUnattributedBeyondCap, [keep, limit]);
    },
    /**
     * Deletes up to `limit` pre-authorized codes, access tokens, issuer_states, pushed requests,
     * authorization codes and refresh tokens (each) that expired before `cutoff`, though their
     * session lives on: a wallet retrying a long-dead code or token would otherwise keep its
     * session active forever, since each refusal is logged on the session.
     */
    async deleteGrantsExpiredBefore(cutoff: number, limit: number): Promise<number> {
      let deleted = 0;
      for (const statement of [deleteCodesExpiredBefore, deleteTokensExpiredBefore, ...deleteFlowValuesExpiredBefore]) {
        deleted += await db.run(statement, [cutoff, limit]);
      }
      return deleted;
    },
  };
}
