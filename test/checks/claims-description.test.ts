// parseClaimsDescriptions against OID4VCI 1.0 Appendices B.1 (shape), B.3 (repeated or contradictory
// descriptions) and C (claims path pointers).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClaimsDescriptions } from '../../src/checks/claims-description.ts';

const rows: { name: string; claims: unknown; problem: RegExp | null }[] = [
  { name: 'paths of strings', claims: [{ path: ['given_name'] }, { path: ['address', 'locality'] }], problem: null },
  { name: 'null selects all array elements', claims: [{ path: ['nationalities', null] }], problem: null },
  { name: 'two indexes of one array', claims: [{ path: ['degrees', 0] }, { path: ['degrees', 1] }], problem: null },
  {
    name: 'mdoc namespace and element',
    claims: [{ path: ['org.iso.18013.5.1', 'family_name'], mandatory: true }],
    problem: null,
  },
  { name: 'unknown keys are allowed', claims: [{ path: ['given_name'], display_hint: 'x' }], problem: null },
  { name: 'object keyed by claim (draft 13)', claims: { given_name: {} }, problem: /draft-13/ },
  { name: 'empty array', claims: [], problem: /claims/ },
  { name: 'a string', claims: 'given_name', problem: /claims/ },
  { name: 'path missing', claims: [{ mandatory: true }], problem: /claims\[0\]\.path/ },
  { name: 'path empty', claims: [{ path: [] }], problem: /claims\[0\]\.path/ },
  { name: 'path is a string', claims: [{ path: 'given_name' }], problem: /claims\[0\]\.path/ },
  { name: 'negative index', claims: [{ path: ['degrees', -1] }], problem: /claims\[0\]\.path\[1\]/ },
  { name: 'fractional index', claims: [{ path: ['degrees', 1.5] }], problem: /claims\[0\]\.path\[1\]/ },
  { name: 'mandatory not a boolean', claims: [{ path: ['given_name'], mandatory: 'yes' }], problem: /mandatory/ },
  {
    name: 'the same path twice (B.3)',
    claims: [{ path: ['given_name'] }, { path: ['given_name'], mandatory: true }],
    problem: /repeats path/,
  },
  {
    name: 'all elements and one element of one array (B.3)',
    claims: [{ path: ['degrees', null] }, { path: ['degrees', 0] }],
    problem: /treats \["degrees"\]/,
  },
  {
    name: 'a claim as object and as array (B.3)',
    claims: [{ path: ['address', 'locality'] }, { path: ['address', 0] }],
    problem: /treats \["address"\]/,
  },
];

describe('parseClaimsDescriptions', () => {
  for (const row of rows) {
    it(`PAR-09: ${row.name}`, () => {
      const result = parseClaimsDescriptions(row.claims);
      if (row.problem === null) {
        assert.ok(result.ok, result.ok ? '' : result.problem);
        if (result.ok) assert.deepEqual(result.claims, row.claims);
      } else {
        assert.equal(result.ok, false);
        if (!result.ok) assert.match(result.problem, row.problem);
      }
    });
  }
});
