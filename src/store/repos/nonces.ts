import type { CNonce } from '../../domain/grants.ts';
import { type Executor, sql } from '../sql.ts';

const insertC = sql('INSERT INTO c_nonces (nonce, created_at, expires_at) VALUES (?, ?, ?)');
const getC = sql('SELECT * FROM c_nonces WHERE nonce = ?');
const consumeC = sql('UPDATE c_nonces SET consumed_at = ? WHERE nonce = ? AND consumed_at IS NULL AND expires_at > ?');
const insertDpop = sql('INSERT INTO dpop_nonces (nonce, expires_at) VALUES (?, ?)');
const validDpop = sql('SELECT nonce FROM dpop_nonces WHERE nonce = ? AND expires_at > ?');
const insertJti = sql('INSERT INTO dpop_jtis (jti_hash, htu, expires_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
const insertChallenge = sql('INSERT INTO attestation_challenges (challenge, expires_at) VALUES (?, ?)');
const useChallenge = sql(
  'UPDATE attestation_challenges SET used_at = ? WHERE challenge = ? AND used_at IS NULL AND expires_at > ?',
);
// Each statement deletes at most a batch (the second parameter), so a purge holds the write lock briefly.
const purge = [
  sql('DELETE FROM c_nonces WHERE nonce IN (SELECT nonce FROM c_nonces WHERE expires_at < ? LIMIT ?)'),
  sql('DELETE FROM dpop_nonces WHERE nonce IN (SELECT nonce FROM dpop_nonces WHERE expires_at < ? LIMIT ?)'),
  sql('DELETE FROM dpop_jtis WHERE (jti_hash, htu) IN (SELECT jti_hash, htu FROM dpop_jtis WHERE expires_at < ? LIMIT ?)'),
  sql(
    'DELETE FROM attestation_challenges WHERE challenge IN (SELECT challenge FROM attestation_challenges WHERE expires_at < ? LIMIT ?)',
  ),
];

/** c_nonces for key proofs (/nonce), server nonces for DPoP proofs (DPoP-Nonce) and client attestation challenges. */
export function nonceRepo(db: Executor) {
  return {
    async issueCNonce(nonce: string, now: number, ttlMs: number): Promise<void> {
      await db.run(insertC, [nonce, now, now + ttlMs]);
    },
    getCNonce(nonce: string): Promise<CNonce | undefined> {
      return db.get<CNonce>(getC, [nonce]);
    },
    /** Single use: false when another request consumed it first or it expired. */
    async consumeCNonce(nonce: string, now: number): Promise<boolean> {
      return (await db.run(consumeC, [now, nonce, now])) === 1;
    },
    async issueDpopNonce(nonce: string, expiresAt: number): Promise<void> {
      await db.run(insertDpop, [nonce, expiresAt]);
    },
    async isValidDpopNonce(nonce: string, now: number): Promise<boolean> {
      return (await db.get(validDpop, [nonce, now])) !== undefined;
    },
    /** DPOP-10: false when this jti was already used at this URI within the window. */
    async rememberDpopJti(jtiHash: string, htu: string, expiresAt: number): Promise<boolean> {
      return (await db.run(insertJti, [jtiHash, htu, expiresAt])) === 1;
    },
    async issueAttestationChallenge(challenge: string, expiresAt: number): Promise<void> {
      await db.run(insertChallenge, [challenge, expiresAt]);
    },
    /** WA-09: a challenge from the challenge endpoint, unexpired, spent by this call. */
    async useAttestationChallenge(challenge: string, now: number): Promise<boolean> {
      return (await db.run(useChallenge, [now, challenge, now])) === 1;
    },
    /** Deletes up to `limit` expired rows of each kind; the number deleted is below `limit` only when none are left. */
    async purgeExpired(now: number, limit: number): Promise<number> {
      let deleted = 0;
      for (const statement of purge) deleted += await db.run(statement, [now, limit]);
      return deleted;
    },
  };
}
