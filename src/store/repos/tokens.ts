import type { AccessTokenRecord } from '../../domain/grants.ts';
import { json, parsed, sql, type Executor } from '../sql.ts';

type TokenRow = Omit<AccessTokenRecord, 'credential_configuration_ids'> & { credential_configuration_ids: string };

const insert = sql(
  `INSERT INTO access_tokens (token_hash, session_id, token_type, dpop_jkt, client_id, credential_configuration_ids, created_at, expires_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
);
const byHash = sql('SELECT * FROM access_tokens WHERE token_hash = ?');

export function accessTokenRepo(db: Executor) {
  return {
    async insert(t: AccessTokenRecord): Promise<void> {
      await db.run(insert, [t.token_hash, t.session_id, t.token_type, t.dpop_jkt, t.client_id, json(t.credential_configuration_ids), t.created_at, t.expires_at]);
    },
    async get(tokenHash: string): Promise<AccessTokenRecord | undefined> {
      const row = await db.get<TokenRow>(byHash, [tokenHash]);
      return row && { ...row, credential_configuration_ids: parsed<string[]>(row.credential_configuration_ids) };
    },
  };
}
