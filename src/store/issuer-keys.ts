import type { Db } from './database.ts';

export interface IssuerKeyRow {
  kid: string;
  alg: string;
  private_jwk: string;
  leaf_pem: string;
  ca_pem: string;
  ca_private_jwk: string;
  created_at: number;
}

export function issuerKeyRepo(db: Db) {
  const first = db.prepare<[], IssuerKeyRow>('SELECT * FROM issuer_keys ORDER BY created_at LIMIT 1');
  const insert = db.prepare(
    `INSERT INTO issuer_keys (kid, alg, private_jwk, leaf_pem, ca_pem, ca_private_jwk, created_at)
     VALUES (@kid, @alg, @private_jwk, @leaf_pem, @ca_pem, @ca_private_jwk, @created_at)`,
  );
  return {
    current(): IssuerKeyRow | undefined {
      return first.get();
    },
    insert(row: IssuerKeyRow): void {
      insert.run(row);
    },
  };
}
