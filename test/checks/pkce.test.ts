// checkCodeChallenge (PAR-05) and checkCodeVerifier (TOK-11) against RFC 7636, with its Appendix B
// test vector as the valid baseline; every row changes one thing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCodeChallenge, checkCodeVerifier, s256Challenge } from '../../src/checks/pkce.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { asChecked } from './finding-helpers.ts';
import { assertFinding } from './jws-helpers.ts';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const HEX_DIGEST = Buffer.from(CHALLENGE, 'base64url').toString('hex');

describe('s256Challenge', () => {
  it('PAR-05: RFC 7636 Appendix B verifier hashes to its challenge', () => assert.equal(s256Challenge(VERIFIER), CHALLENGE));
});

describe('checkCodeChallenge', () => {
  const rows: { name: string; id: DiagnosticId | null; challenge?: string; method?: string }[] = [
    { name: 'Appendix B challenge with S256', id: null },
    { name: 'code_challenge missing', id: 'PAR-05.missing', challenge: undefined },
    { name: 'code_challenge_method missing (default plain)', id: 'PAR-05.method_missing', method: undefined },
    { name: 'method plain', id: 'PAR-05.plain', method: 'plain' },
    { name: 'method plain with the verifier as challenge', id: 'PAR-05.plain', method: 'plain', challenge: VERIFIER },
    { name: 'method s256 (case-sensitive)', id: 'PAR-05.method', method: 's256' },
    { name: 'method S512', id: 'PAR-05.method', method: 'S512' },
    { name: 'hex digest instead of base64url', id: 'PAR-05.syntax', challenge: HEX_DIGEST },
    { name: 'base64 padding', id: 'PAR-05.syntax', challenge: `${CHALLENGE}=` },
    {
      name: 'standard base64 alphabet',
      id: 'PAR-05.syntax',
      challenge: Buffer.from(CHALLENGE, 'base64url').toString('base64').replace(/=+$/, ''),
    },
    { name: '42 characters', id: 'PAR-05.syntax', challenge: CHALLENGE.slice(0, 42) },
    { name: '44 characters', id: 'PAR-05.syntax', challenge: `${CHALLENGE}A` },
    {
      name: '43 characters no digest encodes (non-zero trailing bits)',
      id: 'PAR-05.syntax',
      challenge: `${CHALLENGE.slice(0, 42)}N`,
    },
    { name: 'character outside base64url', id: 'PAR-05.syntax', challenge: `${CHALLENGE.slice(0, 42)}!` },
  ];
  for (const row of rows) {
    it(`PAR-05: ${row.name}`, () => {
      const challenge = 'challenge' in row ? row.challenge : CHALLENGE;
      const method = 'method' in row ? row.method : 'S256';
      assertFinding(asChecked(checkCodeChallenge(challenge, method)), row.id, 'PAR-05');
    });
  }
});

describe('checkCodeVerifier', () => {
  const longest = 'a'.repeat(128);
  const unreserved = `AZaz09-._~${'x'.repeat(33)}`;
  const rows: { name: string; id: DiagnosticId | null; verifier: string | undefined; stored?: string }[] = [
    { name: 'Appendix B verifier matches', id: null, verifier: VERIFIER },
    { name: '128 characters', id: null, verifier: longest, stored: s256Challenge(longest) },
    { name: 'every unreserved character class', id: null, verifier: unreserved, stored: s256Challenge(unreserved) },
    { name: 'code_verifier missing', id: 'TOK-11.missing', verifier: undefined },
    { name: '42 characters', id: 'TOK-11.syntax', verifier: VERIFIER.slice(0, 42) },
    { name: '129 characters', id: 'TOK-11.syntax', verifier: 'a'.repeat(129), stored: s256Challenge('a'.repeat(129)) },
    { name: 'character outside unreserved (+)', id: 'TOK-11.syntax', verifier: `${VERIFIER.slice(0, 42)}+` },
    { name: 'another well-formed verifier', id: 'TOK-11.mismatch', verifier: `${VERIFIER.slice(0, 42)}A` },
    { name: 'the challenge sent as verifier (plain)', id: 'TOK-11.mismatch', verifier: CHALLENGE },
    { name: 'stored challenge of another request', id: 'TOK-11.mismatch', verifier: VERIFIER, stored: s256Challenge(longest) },
  ];
  for (const row of rows) {
    it(`TOK-11: ${row.name}`, () =>
      assertFinding(asChecked(checkCodeVerifier(row.verifier, row.stored ?? CHALLENGE)), row.id, 'TOK-11'));
  }
});
