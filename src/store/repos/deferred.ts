import type { JWK } from 'jose';
import type { DeferredTransaction, MintedCredential } from '../../domain/issuance.ts';
import { type Executor, json, parsed, sql } from '../sql.ts';

type Row = Omit<DeferredTransaction, 'holder_jwks' | 'credentials'> & { holder_jwks: string; credentials: string | null };

/** holder_jwks holds the JWK array, or { keys, dids } when a proof named its key by a DID. */
type StoredHolders = JWK[] | { keys: JWK[]; dids: Array<string | null> };
const holdersOf = (text: string): { keys: JWK[]; dids: Array<string | null> } => {
  const stored = parsed<StoredHolders>(text);
  return Array.isArray(stored) ? { keys: stored, dids: stored.map(() => null) } : stored;
};

const toTransaction = (row: Row): DeferredTransaction => ({
  ...row,
  holder_jwks: holdersOf(row.holder_jwks).keys,
  holder_dids: holdersOf(row.holder_jwks).dids,
  // Rows completed before status lists held bare credential strings.
  credentials:
    row.credentials === null
      ? null
      : parsed<Array<string | MintedCredential>>(row.credentials).map((c) =>
          typeof c === 'string' ? { credential: c, status: null } : c,
        ),
});

const insert = sql(
  `INSERT INTO deferred_transactions (transaction_id, session_id, token_hash, credential_configuration_id, holder_jwks, status, interval_s, created_at)
   VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
);
const byId = sql('SELECT * FROM deferred_transactions WHERE transaction_id = ?');
const pendingFor = sql("SELECT * FROM deferred_transactions WHERE session_id = ? AND status = 'pending' ORDER BY created_at");
const allFor = sql('SELECT * FROM deferred_transactions WHERE session_id = ? ORDER BY created_at');
// Status guards in WHERE make each transition happen once, whoever races.
const complete = sql(
  "UPDATE deferred_transactions SET status = 'ready', credentials = ?, completed_at = ? WHERE transaction_id = ? AND status = 'pending'",
);
const deny = sql(
  "UPDATE deferred_transactions SET status = 'denied', completed_at = ? WHERE transaction_id = ? AND status = 'pending'",
);
const retrieve = sql(
  "UPDATE deferred_transactions SET status = 'retrieved', retrieved_at = ?, credentials = NULL WHERE transaction_id = ? AND status = 'ready'",
);
const poll = sql('UPDATE deferred_transactions SET poll_count = poll_count + 1, last_poll_at = ? WHERE transaction_id = ?');

export interface NewDeferredTransaction {
  transaction_id: string;
  session_id: string;
  token_hash: string;
  credential_configuration_id: string;
  holder_jwks: JWK[];
  holder_dids?: Array<string | null>;
  interval_s: number;
  created_at: number;
}

export function deferredTransactionRepo(db: Executor) {
  return {
    async insert(t: NewDeferredTransaction): Promise<void> {
      await db.run(insert, [
        t.transaction_id,
        t.session_id,
        t.token_hash,
        t.credential_configuration_id,
        json(t.holder_dids?.some((d) => d !== null) ? { keys: t.holder_jwks, dids: t.holder_dids } : t.holder_jwks),
        t.interval_s,
        t.created_at,
      ]);
    },
    async get(transactionId: string): Promise<DeferredTransaction | undefined> {
      const row = await db.get<Row>(byId, [transactionId]);
      return row && toTransaction(row);
    },
    async pendingForSession(sessionId: string): Promise<DeferredTransaction[]> {
      return (await db.all<Row>(pendingFor, [sessionId])).map(toTransaction);
    },
    async listForSession(sessionId: string): Promise<DeferredTransaction[]> {
      return (await db.all<Row>(allFor, [sessionId])).map(toTransaction);
    },
    async complete(transactionId: string, credentials: MintedCredential[], now: number): Promise<boolean> {
      return (await db.run(complete, [json(credentials), now, transactionId])) === 1;
    },
    async deny(transactionId: string, now: number): Promise<boolean> {
      return (await db.run(deny, [now, transactionId])) === 1;
    },
    /** Hands the credentials out once; the stored copies are dropped with the transition. */
    async retrieve(transactionId: string, now: number): Promise<boolean> {
      return (await db.run(retrieve, [now, transactionId])) === 1;
    },
    /** Counts a pending poll; inside a transaction it also locks the row, so concurrent polls of one transaction serialise. */
    async recordPoll(transactionId: string, now: number): Promise<void> {
      await db.run(poll, [now, transactionId]);
    },
  };
}
