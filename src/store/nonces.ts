import type { Db } from './database.ts';

export interface CNonce {
  nonce: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

/** c_nonces for key proofs (/nonce), server nonces for DPoP proofs (DPoP-Nonce) and client attestation challenges. */
export function nonceRepo(db: Db) {
  const insertC = db.prepare('INSERT INTO c_nonces (nonce, created_at, expires_at) VALUES (?, ?, ?)');
  const getC = db.prepare<[string], CNonce>('SELECT * FROM c_nonces WHERE nonce = ?');
  const consumeC = db.prepare('UPDATE c_nonces SET consumed_at = ? WHERE nonce = ? AND consumed_at IS NULL AND expires_at > ?');
  const insertDpop = db.prepare('INSERT INTO dpop_nonces (nonce, expires_at) VALUES (?, ?)');
  const validDpop = db.prepare<[string, number], { nonce: string }>('SELECT nonce FROM dpop_nonces WHERE nonce = ? AND expires_at > ?');
  const purge = [
    db.prepare('DELETE FROM c_nonces WHERE expires_at < ?'),
    db.prepare('DELETE FROM dpop_nonces WHERE expires_at < ?'),
    db.prepare('DELETE FROM dpop_jtis WHERE expires_at < ?'),
    db.prepare('DELETE FROM attestation_challenges WHERE expires_at < ?'),
  ];
  const insertChallenge = db.prepare('INSERT INTO attestation_challenges (challenge, expires_at) VALUES (?, ?)');
  const useChallenge = db.prepare('UPDATE attestation_challenges SET used_at = ? WHERE challenge = ? AND used_at IS NULL AND expires_at > ?');
  const insertJti = db.prepare('INSERT OR IGNORE INTO dpop_jtis (jti_hash, htu, expires_at) VALUES (?, ?, ?)');

  return {
    issueCNonce(nonce: string, now: number, ttlMs: number): void {
      insertC.run(nonce, now, now + ttlMs);
    },
    getCNonce(nonce: string): CNonce | undefined {
      return getC.get(nonce);
    },
    /** Single use: false when another request consumed it first or it expired. */
    consumeCNonce(nonce: string, now: number): boolean {
      return consumeC.run(now, nonce, now).changes === 1;
    },
    issueDpopNonce(nonce: string, expiresAt: number): void {
      insertDpop.run(nonce, expiresAt);
    },
    isValidDpopNonce(nonce: string, now: number): boolean {
      return validDpop.get(nonce, now) !== undefined;
    },
    /** DPOP-10: false when this jti was already used at this URI within the window. */
    rememberDpopJti(jtiHash: string, htu: string, expiresAt: number): boolean {
      return insertJti.run(jtiHash, htu, expiresAt).changes === 1;
    },
    issueAttestationChallenge(challenge: string, expiresAt: number): void {
      insertChallenge.run(challenge, expiresAt);
    },
    /** WA-09: a challenge from the challenge endpoint, unexpired, spent by this call. */
    useAttestationChallenge(challenge: string, now: number): boolean {
      return useChallenge.run(now, challenge, now).changes === 1;
    },
    purgeExpired(now: number): void {
      for (const statement of purge) statement.run(now);
    },
  };
}
