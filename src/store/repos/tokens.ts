import type { AccessTokenRecord } from '../../domain/grants.ts';
import { type Executor, json, parsed, sql } from '../sql.ts';

type TokenRow = Omit<AccessTokenRecord, 'credential_configuration_ids' | 'credential_identifiers'> & {
  credential_configuration_ids: string;
  credential_identifiers: string | null;
};

const insert = sql(
  `INSERT INTO access_tokens (token_hash, session_id, token_type, dpop_jkt, client_id, credential_configuration_ids, created_at, expires_at, family_id, credential_identifiers)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const byHash = sql('SELECT * FROM access_tokens WHERE token_hash = ?');

export function accessTokenRepo(db: Executor) {
  return {
    async insert(t: AccessTokenRecord): Promise<void> {
      await db.run(insert, [
        t.token_hash,
        t.session_id,
        t.token_type,
        t.dpop_jkt,
        t.client_id,
        json(t.credential_configuration_ids),
        t.created_at,
        t.expires_at,
        t.family_id ?? null,
        t.credential_identifiers ? json(t.credential_identifiers) : null,
      ]);
    },
    async get(tokenHash: string): Promise<AccessTokenRecord | undefined> {
      const row = await db.get<TokenRow>(byHash, [tokenHash]);
      return (
        row && {
          ...row,
          credential_configuration_ids: parsed<string[]>(row.credential_configuration_ids),
          credential_identifiers:
            row.credential_identifiers === null
              ? null
              : parsed<NonNullable<AccessTokenRecord['credential_identifiers']>>(row.credential_identifiers),
        }
      );
    },
  };
}
