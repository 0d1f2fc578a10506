import { timingSafeEqual } from 'node:crypto';
import type { Finding } from './finding.ts';

/** TOK-05, TOK-06, TOK-07: the tx_code sent at /token against the one the offer announced. */
export function checkTxCode(expected: string | null, sent: string | undefined): Finding | undefined {
  if (expected === null) return sent === undefined ? undefined : { id: 'TOK-06' };
  if (sent === undefined || sent === '') return { id: 'TOK-05' };
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return { id: 'TOK-07', detail: sent.length === expected.length ? 'wrong value' : `expected ${expected.length} characters, got ${sent.length}` };
  }
  return undefined;
}
