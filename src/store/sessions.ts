import type { Db } from './database.ts';

export const sessionStatuses = ['offer_created', 'offer_retrieved', 'token_exchanged', 'credential_issued'] as const;
export type SessionStatus = (typeof sessionStatuses)[number];

export interface TxCodeSpec {
  input_mode: 'numeric' | 'text';
  length: number;
  description?: string;
}

/** What the tester asked of the wallet when creating the offer. */
export interface SessionOptions {
  require_dpop: boolean;
  dpop_nonce: boolean;
  require_key_attestation: boolean;
  require_wallet_attestation: boolean;
  tx_code?: TxCodeSpec;
  subject_id?: string;
  claims: Record<string, Record<string, unknown>>;
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

export function sessionRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO sessions (id, status, grant_type, credential_configuration_ids, options, created_at, updated_at)
     VALUES (@id, @status, @grant_type, @credential_configuration_ids, @options, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE id = ?');
  const setStatus = db.prepare('UPDATE sessions SET status = ?, updated_at = ? WHERE id = ?');
  const touch = db.prepare('UPDATE sessions SET updated_at = ? WHERE id = ?');

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
    /** Moves the status forward only: a late offer fetch never undoes an issued credential. */
    advance(id: string, status: SessionStatus, now: number): boolean {
      const row = byId.get(id);
      if (!row) return false;
      if (sessionStatuses.indexOf(row.status as SessionStatus) >= sessionStatuses.indexOf(status)) {
        touch.run(now, id);
        return false;
      }
      setStatus.run(status, now, id);
      return true;
    },
  };
}
