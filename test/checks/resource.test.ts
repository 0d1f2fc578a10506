// checkResource (PAR-11 at PAR, TOK-17 at the token endpoint) against RFC 8707 Section 2.
import { describe, it } from 'node:test';
import { checkResource } from '../../src/checks/resource.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { asChecked, assertWarning } from './finding-helpers.ts';
import { assertFinding } from './jws-helpers.ts';

const ISSUER = 'https://issuer.example/s/session-1';

const rows: { name: string; values: string[]; id: DiagnosticId | null; warn?: DiagnosticId }[] = [
  { name: 'the credential issuer identifier', values: [ISSUER], id: null },
  { name: 'the identifier twice (RFC 8707 allows several)', values: [ISSUER, ISSUER], id: null },
  { name: 'another server beside this issuer warns', values: [ISSUER, 'https://api.example/'], id: null, warn: 'PAR-11.foreign' },
  { name: 'a URN names another server', values: ['urn:example:resource'], id: null, warn: 'PAR-11.foreign' },
  { name: 'relative URI', values: ['/credential'], id: 'PAR-11' },
  { name: 'fragment', values: [`${ISSUER}#x`], id: 'PAR-11' },
  { name: 'second value malformed', values: [ISSUER, 'issuer.example'], id: 'PAR-11' },
];

describe('checkResource', () => {
  for (const row of rows) {
    it(`PAR-11: ${row.name}`, () => {
      const result = asChecked(checkResource(row.values, ISSUER, 'PAR-11'));
      assertFinding(result, row.id, 'PAR-11');
      if (row.warn) assertWarning(result, row.warn);
    });
  }
  it('TOK-17: the same rules name the token endpoint rule', () => {
    assertFinding(asChecked(checkResource(['/credential'], ISSUER, 'TOK-17')), 'TOK-17', 'TOK-17');
    assertWarning(asChecked(checkResource(['https://api.example/'], ISSUER, 'TOK-17')), 'TOK-17.foreign');
    assertFinding(asChecked(checkResource([ISSUER], ISSUER, 'TOK-17')), null, 'TOK-17');
  });
});
