import type { IssuerKeyRow, TestAttesterKeyRow } from '../../domain/keys.ts';
import { type Executor, sql } from '../sql.ts';

// Several nodes may start on an empty database at once: each inserts into the 'current' slot, one
// insert lands (a unique index), and all then read that row.
const KEY_COLUMNS = 'kid, alg, private_jwk, leaf_pem, ca_pem, ca_private_jwk, created_at';
const currentIssuerKey = sql(`SELECT ${KEY_COLUMNS} FROM issuer_keys WHERE slot = 'current'`);
const insertIssuerKey = sql(
  `INSERT INTO issuer_keys (${KEY_COLUMNS}, slot) VALUES (?, ?, ?, ?, ?, ?, ?, 'current') ON CONFLICT DO NOTHING`,
);
// Conditional on the leaf it replaces, so of nodes re-certifying at once exactly one update lands.
const replaceIssuerCertificates = sql('UPDATE issuer_keys SET leaf_pem = ?, ca_pem = ? WHERE kid = ? AND leaf_pem = ?');
const ATTESTER_COLUMNS = 'id, ca_pem, ca_private_jwk, leaf_pem, leaf_private_jwk, created_at';
const currentAttester = sql(`SELECT ${ATTESTER_COLUMNS} FROM test_attester_keys WHERE slot = 'current'`);
const insertAttester = sql(
  `INSERT INTO test_attester_keys (${ATTESTER_COLUMNS}, slot) VALUES (?, ?, ?, ?, ?, ?, 'current') ON CONFLICT DO NOTHING`,
);

/** The issuer signing key and the built-in test attester's keys, created once per database. */
export function keyRepo(db: Executor) {
  return {
    currentIssuerKey(): Promise<IssuerKeyRow | undefined> {
      return db.get<IssuerKeyRow>(currentIssuerKey);
    },
    async insertIssuerKey(row: IssuerKeyRow): Promise<void> {
      await db.run(insertIssuerKey, [
        row.kid,
        row.alg,
        row.private_jwk,
        row.leaf_pem,
        row.ca_pem,
        row.ca_private_jwk,
        row.created_at,
      ]);
    },
    /** Whether this call replaced `oldLeafPem`; false when another node did first. */
    async replaceIssuerCertificates(
      kid: string,
      oldLeafPem: string,
      renewed: Pick<IssuerKeyRow, 'leaf_pem' | 'ca_pem'>,
    ): Promise<boolean> {
      return (await db.run(replaceIssuerCertificates, [renewed.leaf_pem, renewed.ca_pem, kid, oldLeafPem])) === 1;
    },
    currentTestAttester(): Promise<TestAttesterKeyRow | undefined> {
      return db.get<TestAttesterKeyRow>(currentAttester);
    },
    async insertTestAttester(row: TestAttesterKeyRow): Promise<void> {
      await db.run(insertAttester, [row.id, row.ca_pem, row.ca_private_jwk, row.leaf_pem, row.leaf_private_jwk, row.created_at]);
    },
  };
}
