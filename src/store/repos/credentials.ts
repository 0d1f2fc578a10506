import type { IssuedCredential } from '../../domain/issuance.ts';
import { type Executor, sql } from '../sql.ts';

const insert = sql(
  `INSERT INTO issued_credentials (id, session_id, credential_configuration_id, format, holder_jkt, credential, created_at)
   VALUES (?, ?, ?, ?, ?, ?, ?)`,
);
const META = 'id, session_id, credential_configuration_id, format, holder_jkt, created_at';
const metaBySession = sql(`SELECT ${META} FROM issued_credentials WHERE session_id = ? ORDER BY created_at, id`);
const recentBySession = sql('SELECT * FROM issued_credentials WHERE session_id = ? ORDER BY created_at DESC, id DESC LIMIT ?');
const countBySession = sql('SELECT COUNT(*) AS n FROM issued_credentials WHERE session_id = ?');
const byIds = (count: number) => sql(`SELECT * FROM issued_credentials WHERE id IN (${Array(count).fill('?').join(', ')})`);

export function issuedCredentialRepo(db: Executor) {
  return {
    async insert(c: IssuedCredential): Promise<void> {
      await db.run(insert, [
        c.id,
        c.session_id,
        c.credential_configuration_id,
        c.format,
        c.holder_jkt,
        c.credential,
        c.created_at,
      ]);
    },
    /** What was issued in a session, oldest first, without the credentials themselves. */
    metadataForSession(sessionId: string): Promise<Array<Omit<IssuedCredential, 'credential'>>> {
      return db.all<Omit<IssuedCredential, 'credential'>>(metaBySession, [sessionId]);
    },
    /** The newest `limit` credentials of a session, newest first. */
    recentForSession(sessionId: string, limit: number): Promise<IssuedCredential[]> {
      return db.all<IssuedCredential>(recentBySession, [sessionId, limit]);
    },
    async countForSession(sessionId: string): Promise<number> {
      return (await db.get<{ n: number }>(countBySession, [sessionId]))?.n ?? 0;
    },
    /** The credentials a log page refers to, by id. */
    async byIds(ids: readonly string[]): Promise<Map<string, IssuedCredential>> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return new Map();
      return new Map((await db.all<IssuedCredential>(byIds(unique.length), unique)).map((c) => [c.id, c]));
    },
  };
}
