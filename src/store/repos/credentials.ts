import type { IssuedCredential } from '../../domain/issuance.ts';
import { sql, type Executor } from '../sql.ts';

const insert = sql(
  `INSERT INTO issued_credentials (id, session_id, credential_configuration_id, format, holder_jkt, credential, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?)`,
);
const bySession = sql('SELECT * FROM issued_credentials WHERE session_id = ? ORDER BY created_at, id');
const byIds = (count: number) => sql(`SELECT * FROM issued_credentials WHERE id IN (${Array(count).fill('?').join(', ')})`);

export function issuedCredentialRepo(db: Executor) {
  return {
    async insert(c: IssuedCredential): Promise<void> {
      await db.run(insert, [c.id, c.session_id, c.credential_configuration_id, c.format, c.holder_jkt, c.credential, c.created_at]);
    },
    listForSession(sessionId: string): Promise<IssuedCredential[]> {
      return db.all<IssuedCredential>(bySession, [sessionId]);
    },
    /** The credentials a log page refers to, by id. */
    async byIds(ids: readonly string[]): Promise<Map<string, IssuedCredential>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      return new Map((await db.all<IssuedCredential>(byIds(unique.length), unique)).map((c) => [c.id, c]));
    },
  };
}
