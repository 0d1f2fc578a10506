import { type Executor, sql } from '../sql.ts';

export interface RequestEncryptionKeyRow {
  kid: string;
  private_jwk: string;
  created_at: number;
}

const current = sql("SELECT kid, private_jwk, created_at FROM request_encryption_keys WHERE slot = 'current'");
const insert = sql(
  "INSERT INTO request_encryption_keys (slot, kid, private_jwk, created_at) VALUES ('current', ?, ?, ?) ON CONFLICT DO NOTHING",
);

export function requestEncryptionKeyRepo(db: Executor) {
  return {
    current(): Promise<RequestEncryptionKeyRow | undefined> {
      return db.get<RequestEncryptionKeyRow>(current);
    },
    async insert(row: RequestEncryptionKeyRow): Promise<void> {
      await db.run(insert, [row.kid, row.private_jwk, row.created_at]);
    },
  };
}
