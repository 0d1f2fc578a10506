import type { Db } from './database.ts';

export interface AccessTokenRecord {
  token_hash: string;
  session_id: string;
  token_type: 'DPoP' | 'Bearer';
  dpop_jkt: string | null;
  client_id: string | null;
  credential_configuration_ids: string[];
  created_at: number;
  expires_at: number;
}

interface TokenRow extends Omit<AccessTokenRecord, 'credential_configuration_ids'> {
  credential_configuration_ids: string;
}

export function accessTokenRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO access_tokens (token_hash, session_id, token_type, dpop_jkt, client_id, credential_configuration_ids, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const byHash = db.prepare<[string], TokenRow>('SELECT * FROM access_tokens WHERE token_hash = ?');
  return {
    insert(t: AccessTokenRecord): void {
      insert.run(t.token_hash, t.session_id, t.token_type, t.dpop_jkt, t.client_id, JSON.stringify(t.credential_configuration_ids), t.created_at, t.expires_at);
    },
    get(tokenHash: string): AccessTokenRecord | undefined {
      const row = byHash.get(tokenHash);
      return row && { ...row, credential_configuration_ids: JSON.parse(row.credential_configuration_ids) as string[] };
    },
  };
}
