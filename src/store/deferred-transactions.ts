import type { JWK } from 'jose';
import type { Db } from './database.ts';

export type DeferredStatus = 'pending' | 'ready' | 'retrieved' | 'denied';

export interface DeferredTransaction {
  transaction_id: string;
  session_id: string;
  token_hash: string;
  credential_configuration_id: string;
  holder_jwks: JWK[];
  status: DeferredStatus;
  interval_s: number;
  credentials: string[] | null;
  poll_count: number;
  last_poll_at: number | null;
  created_at: number;
  completed_at: number | null;
  retrieved_at: number | null;
}

interface Row extends Omit<DeferredTransaction, 'holder_jwks' | 'credentials'> {
  holder_jwks: string;
  credentials: string | null;
}

const toTransaction = (row: Row): DeferredTransaction => ({
  ...row,
  holder_jwks: JSON.parse(row.holder_jwks) as JWK[],
  credentials: row.credentials === null ? null : (JSON.parse(row.credentials) as string[]),
});

export function deferredTransactionRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO deferred_transactions (transaction_id, session_id, token_hash, credential_configuration_id, holder_jwks, status, interval_s, created_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
  );
  const byId = db.prepare<[string], Row>('SELECT * FROM deferred_transactions WHERE transaction_id = ?');
  const pendingFor = db.prepare<[string], Row>("SELECT * FROM deferred_transactions WHERE session_id = ? AND status = 'pending' ORDER BY created_at");
  const allFor = db.prepare<[string], Row>('SELECT * FROM deferred_transactions WHERE session_id = ? ORDER BY created_at');
  // Status guards in WHERE make each transition happen once, whoever races.
  const complete = db.prepare(
    "UPDATE deferred_transactions SET status = 'ready', credentials = ?, completed_at = ? WHERE transaction_id = ? AND status = 'pending'",
  );
  const deny = db.prepare("UPDATE deferred_transactions SET status = 'denied', completed_at = ? WHERE transaction_id = ? AND status = 'pending'");
  const retrieve = db.prepare(
    "UPDATE deferred_transactions SET status = 'retrieved', retrieved_at = ?, credentials = NULL WHERE transaction_id = ? AND status = 'ready'",
  );
  const poll = db.prepare('UPDATE deferred_transactions SET poll_count = poll_count + 1, last_poll_at = ? WHERE transaction_id = ?');

  return {
    insert(t: { transaction_id: string; session_id: string; token_hash: string; credential_configuration_id: string; holder_jwks: JWK[]; interval_s: number; created_at: number }): void {
      insert.run(t.transaction_id, t.session_id, t.token_hash, t.credential_configuration_id, JSON.stringify(t.holder_jwks), t.interval_s, t.created_at);
    },
    get(transactionId: string): DeferredTransaction | undefined {
      const row = byId.get(transactionId);
      return row && toTransaction(row);
    },
    pendingForSession(sessionId: string): DeferredTransaction[] {
      return pendingFor.all(sessionId).map(toTransaction);
    },
    listForSession(sessionId: string): DeferredTransaction[] {
      return allFor.all(sessionId).map(toTransaction);
    },
    complete(transactionId: string, credentials: string[], now: number): boolean {
      return complete.run(JSON.stringify(credentials), now, transactionId).changes === 1;
    },
    deny(transactionId: string, now: number): boolean {
      return deny.run(now, transactionId).changes === 1;
    },
    /** Hands the credentials out once; the stored copies are dropped with the transition. */
    retrieve(transactionId: string, now: number): boolean {
      return retrieve.run(now, transactionId).changes === 1;
    },
    recordPoll(transactionId: string, now: number): void {
      poll.run(now, transactionId);
    },
  };
}
