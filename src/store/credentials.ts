import type { Db } from './database.ts';

export interface IssuedCredential {
  id: string;
  session_id: string;
  credential_configuration_id: string;
  format: string;
  holder_jkt: string | null;
  credential: string;
  created_at: number;
}

export function issuedCredentialRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO issued_credentials (id, session_id, credential_configuration_id, format, holder_jkt, credential, created_at)
     VALUES (@id, @session_id, @credential_configuration_id, @format, @holder_jkt, @credential, @created_at)`,
  );
  const bySession = db.prepare<[string], IssuedCredential>('SELECT * FROM issued_credentials WHERE session_id = ? ORDER BY created_at');
  return {
    insert(credential: IssuedCredential): void {
      insert.run(credential);
    },
    listForSession(sessionId: string): IssuedCredential[] {
      return bySession.all(sessionId);
    },
  };
}
