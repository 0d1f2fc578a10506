import type { PreAuthorizedCode } from '../../domain/grants.ts';
import { type Executor, sql } from '../sql.ts';

const insert = sql('INSERT INTO pre_authorized_codes (code, session_id, tx_code, expires_at) VALUES (?, ?, ?, ?)');
const byCode = sql('SELECT * FROM pre_authorized_codes WHERE code = ?');
const bySession = sql('SELECT * FROM pre_authorized_codes WHERE session_id = ? LIMIT 1');
// The WHERE clause makes redemption single-use even when two requests (or two nodes) race.
const redeem = sql(
  'UPDATE pre_authorized_codes SET redeemed_at = ? WHERE code = ? AND redeemed_at IS NULL AND burnt_at IS NULL AND expires_at > ?',
);
const failAttempt = sql(
  `UPDATE pre_authorized_codes SET failed_tx_code_attempts = failed_tx_code_attempts + 1,
     burnt_at = CASE WHEN failed_tx_code_attempts + 1 >= ? THEN ? ELSE burnt_at END
   WHERE code = ? RETURNING failed_tx_code_attempts, burnt_at`,
);

export function preAuthorizedCodeRepo(db: Executor) {
  return {
    async insert(code: string, sessionId: string, txCode: string | null, expiresAt: number): Promise<void> {
      await db.run(insert, [code, sessionId, txCode, expiresAt]);
    },
    get(code: string): Promise<PreAuthorizedCode | undefined> {
      return db.get<PreAuthorizedCode>(byCode, [code]);
    },
    /** The session's code, e.g. to show its tx_code again on the offer page. */
    forSession(sessionId: string): Promise<PreAuthorizedCode | undefined> {
      return db.get<PreAuthorizedCode>(bySession, [sessionId]);
    },
    async redeem(code: string, now: number): Promise<boolean> {
      return (await db.run(redeem, [now, code, now])) === 1;
    },
    /** Counts a wrong tx_code; at maxAttempts the code is burnt for good (TOK-07). */
    async recordFailedTxCode(code: string, maxAttempts: number, now: number): Promise<{ attempts: number; burnt: boolean }> {
      const row = await db.get<{ failed_tx_code_attempts: number; burnt_at: number | null }>(failAttempt, [
        maxAttempts,
        now,
        code,
      ]);
      return { attempts: row?.failed_tx_code_attempts ?? 0, burnt: row?.burnt_at != null };
    },
  };
}
