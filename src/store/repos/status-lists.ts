import { type Executor, sql } from '../sql.ts';

// Status lists and the entries reserved in them (migration 0013).

export type StatusListKind = 'token-jwt' | 'token-cwt' | 'bitstring';

export interface StatusListRecord {
  id: string;
  kind: StatusListKind;
  generation: number;
  bits: number;
  size: number;
  created_at: number;
}

export interface StatusEntry {
  list_id: string;
  idx: number;
  session_id: string;
  credential_id: string | null;
  status: number;
  created_at: number;
  updated_at: number;
}

/** An issued credential with the entry it references, as the session API lists it. */
export interface CredentialStatusRow {
  id: string;
  credential_configuration_id: string;
  format: string;
  created_at: number;
  list_id: string | null;
  kind: StatusListKind | null;
  idx: number | null;
  status: number | null;
}

const insertList = sql(
  'INSERT INTO status_lists (id, kind, generation, bits, size, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
);
const listById = sql('SELECT * FROM status_lists WHERE id = ?');
const newestOfKind = sql('SELECT * FROM status_lists WHERE kind = ? ORDER BY generation DESC LIMIT 1');
const reserve = sql(
  'INSERT INTO status_entries (list_id, idx, session_id, credential_id, status, created_at, updated_at) VALUES (?, ?, ?, NULL, 0, ?, ?) ON CONFLICT DO NOTHING',
);
const attach = sql(
  'UPDATE status_entries SET credential_id = ? WHERE list_id = ? AND idx = ? AND session_id = ? AND credential_id IS NULL',
);
const nonZero = sql('SELECT idx, status FROM status_entries WHERE list_id = ? AND status <> 0');
const handedOut = sql(
  'SELECT * FROM status_entries WHERE list_id = ? AND credential_id IS NOT NULL ORDER BY updated_at DESC, idx LIMIT ?',
);
const entryOfCredential = sql('SELECT * FROM status_entries WHERE credential_id = ? AND session_id = ?');
const setStatus = sql('UPDATE status_entries SET status = ?, updated_at = ? WHERE credential_id = ? AND session_id = ?');
const credentialsOfSession = sql(
  `SELECT c.id, c.credential_configuration_id, c.format, c.created_at, e.list_id, l.kind, e.idx, e.status
   FROM issued_credentials c
   LEFT JOIN status_entries e ON e.credential_id = c.id
   LEFT JOIN status_lists l ON l.id = e.list_id
   WHERE c.session_id = ? ORDER BY c.created_at, c.id`,
);

// The session page's newest credentials, in the order of issued_credentials' recentForSession.
const recentCredentialsOfSession = sql(
  `SELECT c.id, c.credential_configuration_id, c.format, c.created_at, e.list_id, l.kind, e.idx, e.status
   FROM issued_credentials c
   LEFT JOIN status_entries e ON e.credential_id = c.id
   LEFT JOIN status_lists l ON l.id = e.list_id
   WHERE c.session_id = ? ORDER BY c.created_at DESC, c.id DESC LIMIT ?`,
);

export function statusListRepo(db: Executor) {
  return {
    /** Starts the list of its generation unless another request already did (then nothing changes). */
    async createList(list: StatusListRecord): Promise<void> {
      await db.run(insertList, [list.id, list.kind, list.generation, list.bits, list.size, list.created_at]);
    },
    getList(id: string): Promise<StatusListRecord | undefined> {
      return db.get<StatusListRecord>(listById, [id]);
    },
    /** The list new credentials of this kind go to. */
    currentList(kind: StatusListKind): Promise<StatusListRecord | undefined> {
      return db.get<StatusListRecord>(newestOfKind, [kind]);
    },
    /** Reserves one index; false when it is already taken. */
    async reserve(listId: string, idx: number, sessionId: string, now: number): Promise<boolean> {
      return (await db.run(reserve, [listId, idx, sessionId, now, now])) === 1;
    },
    /** Ties a reserved entry to the credential handed out with it. */
    async attach(listId: string, idx: number, sessionId: string, credentialId: string): Promise<boolean> {
      return (await db.run(attach, [credentialId, listId, idx, sessionId])) === 1;
    },
    /** The entries that are not VALID; every other index of the list is 0. */
    nonZeroEntries(listId: string): Promise<Array<{ idx: number; status: number }>> {
      return db.all<{ idx: number; status: number }>(nonZero, [listId]);
    },
    /** Entries of handed-out credentials, the most recently changed first: whose sessions a fetch concerns. */
    handedOutEntries(listId: string, limit: number): Promise<StatusEntry[]> {
      return db.all<StatusEntry>(handedOut, [listId, limit]);
    },
    entryOfCredential(sessionId: string, credentialId: string): Promise<StatusEntry | undefined> {
      return db.get<StatusEntry>(entryOfCredential, [credentialId, sessionId]);
    },
    async setStatus(sessionId: string, credentialId: string, status: number, now: number): Promise<boolean> {
      return (await db.run(setStatus, [status, now, credentialId, sessionId])) === 1;
    },
    credentialsOfSession(sessionId: string): Promise<CredentialStatusRow[]> {
      return db.all<CredentialStatusRow>(credentialsOfSession, [sessionId]);
    },
    /** The newest `limit` credentials of a session with their status: what a long session's page shows. */
    recentCredentialsOfSession(sessionId: string, limit: number): Promise<CredentialStatusRow[]> {
      return db.all<CredentialStatusRow>(recentCredentialsOfSession, [sessionId, limit]);
    },
  };
}
