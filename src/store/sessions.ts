import type { Db } from './database.ts';
import type { StoreChanges } from './index.ts';

/** Setup steps only ever move forward; from awaiting_claims on, the latest outcome is shown. */
const statusRank = {
  offer_created: 0,
  offer_retrieved: 1,
  token_exchanged: 2,
  awaiting_claims: 3,
  credential_issued: 3,
  credential_denied: 3,
  credential_accepted: 3,
  credential_failure: 3,
  credential_deleted: 3,
} as const;
const OUTCOME_RANK = 3;

export type SessionStatus = keyof typeof statusRank;
export const sessionStatuses = Object.keys(statusRank) as SessionStatus[];

export interface TxCodeSpec {
  input_mode: 'numeric' | 'text';
  length: number;
  description?: string;
}

/** Accepted key_storage / user_authentication values of a key attestation (OID4VCI Appendix D.2). */
export interface KeyAttestationDemand {
  key_storage?: string[];
  user_authentication?: string[];
}

/** How a deferred request completes without a tester: after a time or a number of polls, by issuing or refusing. */
export interface DeferredPlan {
  ready_after_seconds?: number;
  ready_after_polls?: number;
  outcome: 'issue' | 'deny';
}

export interface OfferTrustAnchor {
  kind: 'key_attestation' | 'wallet_attestation';
  label?: string;
  pem?: string;
  jwk?: Record<string, unknown>;
}

/** What the tester asked of the wallet when creating the offer. */
export interface SessionOptions {
  require_dpop: boolean;
  dpop_nonce: boolean;
  /** false, or the key attestation demand (an empty object accepts any storage and authentication level). */
  require_key_attestation: false | KeyAttestationDemand;
  require_wallet_attestation: boolean;
  /** Dialect warnings (pre-1.0 typ values, ABCA drafts) become rejections. */
  strict: boolean;
  tx_code?: TxCodeSpec;
  subject_id?: string;
  claims: Record<string, Record<string, unknown>>;
  deferred?: DeferredPlan;
  trust_anchors: OfferTrustAnchor[];
}

/** A row of the sessions list: the session plus what the list shows about its logs. */
export interface SessionSummary extends Session {
  error_count: number;
  /** The latest of a status change and a log entry. */
  last_activity_at: number;
}

export interface Session {
  id: string;
  status: SessionStatus;
  grant_type: string;
  credential_configuration_ids: string[];
  options: SessionOptions;
  created_at: number;
  updated_at: number;
}

interface SessionRow {
  id: string;
  status: string;
  grant_type: string;
  credential_configuration_ids: string;
  options: string;
  created_at: number;
  updated_at: number;
}

function toSession(row: SessionRow): Session {
  return {
    ...row,
    status: row.status as SessionStatus,
    credential_configuration_ids: JSON.parse(row.credential_configuration_ids) as string[],
    options: JSON.parse(row.options) as SessionOptions,
  };
}

export function sessionRepo(db: Db, changes: StoreChanges) {
  const insert = db.prepare(
    `INSERT INTO sessions (id, status, grant_type, credential_configuration_ids, options, created_at, updated_at)
     VALUES (@id, @status, @grant_type, @credential_configuration_ids, @options, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?');
  const setStatus = db.prepare('UPDATE sessions SET status = ?, updated_at = ? WHERE id = ?');
  const touch = db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?');
  // @status NULL lists every status; error counts and last activity come from the logs index.
  const listPage = db.prepare<{ status: string | null; limit: number; offset: number }, SessionRow & { error_count: number; last_activity_at: number }>(
    `SELECT s.*,
       (SELECT count(*) FROM logs l WHERE l.session_id = s.id AND l.level = 'error') AS error_count,
       max(s.updated_at, coalesce((SELECT max(l.created_at) FROM logs l WHERE l.session_id = s.id), 0)) AS last_activity_at
     FROM sessions s WHERE @status IS NULL OR s.status = @status
     ORDER BY s.created_at DESC, s.rowid DESC LIMIT @limit OFFSET @offset`,
  );
  const countByStatusQuery = db.prepare<[], { status: string; n: number }>('SELECT status, count(*) AS n FROM sessions GROUP BY status');
  const countByStatus = (): Partial<Record<SessionStatus, number>> =>
    Object.fromEntries(countByStatusQuery.all().map((row) => [row.status, row.n]));

  return {
    insert(session: Session): void {
      insert.run({
        ...session,
        credential_configuration_ids: JSON.stringify(session.credential_configuration_ids),
        options: JSON.stringify(session.options),
      });
    },
    get(id: string): Session | undefined {
      const row = byId.get(id);
      return row && toSession(row);
    },
    /** Newest first, optionally only one status; total counts the filtered sessions. */
    list(status: SessionStatus | null, limit: number, offset: number): { total: number; sessions: SessionSummary[] } {
      const counts = countByStatus();
      const total = status === null ? Object.values(counts).reduce((a, b) => a + b, 0) : (counts[status] ?? 0);
      const rows = listPage.all({ status, limit, offset });
      return { total, sessions: rows.map((row) => ({ ...toSession(row), error_count: row.error_count, last_activity_at: row.last_activity_at })) };
    },
    countByStatus,
    /** A late offer fetch never undoes an issued credential; outcomes replace each other. */
    advance(id: string, status: SessionStatus, now: number): boolean {
      const row = byId.get(id);
      if (!row) return false;
      const next = statusRank[status];
      if (next < OUTCOME_RANK && statusRank[row.status as SessionStatus] >= next) {
        touch.run(now, id);
        return false;
      }
      setStatus.run(status, now, id);
      changes.announce(id);
      return true;
    },
  };
}
