import { timingSafeEqual } from 'node:crypto';
import { type Finding, failure } from './finding.ts';

/** TOK-05, TOK-06, TOK-07: the tx_code sent at /token against the one the offer announced. */
export function checkTxCode(expected: string | null, sent: string | undefined): Finding {
  if (expected === null) return sent === undefined ? { rule: 'TOK-06', outcome: 'pass' } : failure('TOK-06');
  if (sent === undefined || sent === '') return failure('TOK-05');
  const a = Buffer.from(expected);
  const b = Buffer.from(sent);
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    return failure(
      'TOK-07',
      sent.length === expected.length ? 'wrong value' : `expected ${expected.length} characters, got ${sent.length}`,
    );
  }
  return { rule: 'TOK-07', outcome: 'pass' };
}
