import type { Db } from './database.ts';

export interface PreAuthorizedCode {
  code: string;
  session_id: string;
  tx_code: string | null;
  failed_tx_code_attempts: number;
  expires_at: number;
  redeemed_at: number | null;
  burnt_at: number | null;
}

export function preAuthorizedCodeRepo(db: Db) {
  const insert = db.prepare(
    'INSERT INTO pre_authorized_codes (code, session_id, tx_code, expires_at) VALUES (?, ?, ?, ?)',
  );
  const byCode = db.prepare<[string], PreAuthorizedCode>('SELECT * FROM pre_authorized_codes WHERE code = ?');
  const bySession = db.prepare<[string], PreAuthorizedCode>('SELECT * FROM pre_authorized_codes WHERE session_id = ? LIMIT 1');
  // The WHERE clause makes redemption single-use even when two requests race.
  const redeem = db.prepare(
    'UPDATE pre_authorized_codes SET redeemed_at = ? WHERE code = ? AND redeemed_at IS NULL AND burnt_at IS NULL AND expires_at > ?',
  );
  const failAttempt = db.prepare(
    `UPDATE pre_authorized_codes SET failed_tx_code_attempts = failed_tx_code_attempts + 1,
       burnt_at = CASE WHEN failed_tx_code_attempts + 1 >= ? THEN ? ELSE burnt_at END
     WHERE code = ? RETURNING failed_tx_code_attempts, burnt_at`,
  );
  return {
    insert(code: string, sessionId: string, txCode: string | null, expiresAt: number): void {
      insert.run(code, sessionId, txCode, expiresAt);
    },
    get(code: string): PreAuthorizedCode | undefined {
      return byCode.get(code);
    },
    /** The session's code, e.g. to show its tx_code again on the offer page. */
    forSession(sessionId: string): PreAuthorizedCode | undefined {
      return bySession.get(sessionId);
    },
    redeem(code: string, now: number): boolean {
      return redeem.run(now, code, now).changes === 1;
    },
    /** Counts a wrong tx_code; at maxAttempts the code is burnt for good (TOK-07). */
    recordFailedTxCode(code: string, maxAttempts: number, now: number): { attempts: number; burnt: boolean } {
      const row = failAttempt.get(maxAttempts, now, code) as { failed_tx_code_attempts: number; burnt_at: number | null };
      return { attempts: row.failed_tx_code_attempts, burnt: row.burnt_at !== null };
    },
  };
}
