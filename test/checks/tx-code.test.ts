// checkTxCode against spec-notes TOK-05, TOK-06, TOK-07 (OID4VCI 1.0 Sections 6.1, 6.3).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTxCode } from '../../src/checks/tx-code.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';

interface Row {
  rule: string;
  name: string;
  /** The tx_code the offer announced (null: the offer had no tx_code object). */
  expected: string | null;
  /** The tx_code form parameter of the token request (undefined: not sent). */
  sent: string | undefined;
  /** Expected finding id; null means accepted. */
  id: DiagnosticId | null;
}

const CODE = '493817';

const rows: Row[] = [
  { rule: 'TOK-05', name: 'expected and sent correctly', expected: CODE, sent: CODE, id: null },
  { rule: 'TOK-06', name: 'not expected and not sent', expected: null, sent: undefined, id: null },
  { rule: 'TOK-05', name: 'expected but missing', expected: CODE, sent: undefined, id: 'TOK-05' },
  { rule: 'TOK-05', name: 'expected but sent empty', expected: CODE, sent: '', id: 'TOK-05' },
  { rule: 'TOK-06', name: 'sent but the offer had no tx_code', expected: null, sent: CODE, id: 'TOK-06' },
  { rule: 'TOK-06', name: 'sent empty but the offer had no tx_code', expected: null, sent: '', id: 'TOK-06' },
  { rule: 'TOK-07', name: 'wrong value of the right length', expected: CODE, sent: '493818', id: 'TOK-07' },
  { rule: 'TOK-07', name: 'too short', expected: CODE, sent: '49381', id: 'TOK-07' },
  { rule: 'TOK-07', name: 'too long', expected: CODE, sent: `${CODE}0`, id: 'TOK-07' },
  { rule: 'TOK-07', name: 'surrounding whitespace is not trimmed', expected: CODE, sent: ` ${CODE}`, id: 'TOK-07' },
  { rule: 'TOK-07', name: 'text codes compare case-sensitively', expected: 'AbCd', sent: 'abcd', id: 'TOK-07' },
  { rule: 'TOK-07', name: 'same character count, different byte length', expected: 'abcd', sent: 'abcé', id: 'TOK-07' },
];

describe('checkTxCode', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const finding = checkTxCode(row.expected, row.sent);
      if (row.id === null) assert.deepEqual(finding, { rule: row.expected === null ? 'TOK-06' : 'TOK-07', outcome: 'pass' });
      else assert.deepEqual([finding.rule, finding.outcome, finding.diagnostic], [row.id, 'fail', row.id]);
    });
  }

  it('TOK-07: the detail never echoes the expected code', () => {
    for (const sent of ['000000', '12', '4938170']) {
      const finding = checkTxCode(CODE, sent);
      assert.equal(finding.diagnostic, 'TOK-07');
      assert.ok(!(finding.detail ?? '').includes(CODE), finding.detail);
    }
  });
});
