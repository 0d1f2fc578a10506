// checkRefreshGrant against TOK-20, WA-13 and H-13 (RFC 6749 Section 6, RFC 9449 Section 5, ABCA -07
// Section 10.3, HAIP 1.0 Section 4.4). Every row changes one thing in a valid refresh.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkRefreshGrant,
  REFRESH_FAMILY_MAX_AGE_S,
  type RefreshGrantRequest,
  type RefreshTokenRecord,
} from '../../src/checks/token-grant-refresh.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { assertFinding } from './jws-helpers.ts';

const NOW = 1_750_000_000_000;
const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const OTHER_JKT = `${JKT.slice(0, 42)}A`;
const INSTANCE_JKT = '0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I';

const record = (): RefreshTokenRecord => ({
  familyId: 'family-1',
  clientId: 'wallet-1',
  dpopJkt: JKT,
  clientInstanceJkt: INSTANCE_JKT,
  authorized: [{ credential_configuration_id: 'eu.europa.ec.eudi.pid_vc_sd_jwt', via: 'scope' }],
  familyIssuedAt: NOW - 3_600_000,
  expiresAt: NOW + 3_600_000,
  rotatedAt: null,
  revokedAt: null,
});
const request = (): RefreshGrantRequest => ({
  refreshToken: 'rt-1',
  clientId: 'wallet-1',
  dpopJkt: JKT,
  attestationJkt: INSTANCE_JKT,
  txCode: undefined,
});

interface Row {
  rule: string;
  name: string;
  id: DiagnosticId | null;
  request?: Partial<RefreshGrantRequest>;
  record?: Partial<RefreshTokenRecord> | null;
  revokeFamily?: boolean;
}

const rows: Row[] = [
  { rule: 'WA-13', name: 'valid refresh bound to DPoP and client instance keys', id: null },
  {
    rule: 'TOK-20',
    name: 'unbound family without attestation',
    id: null,
    record: { dpopJkt: null, clientInstanceJkt: null },
    request: { dpopJkt: undefined, attestationJkt: undefined },
  },
  { rule: 'TOK-06', name: 'tx_code sent', id: 'TOK-06.grant', request: { txCode: '1234' } },
  { rule: 'TOK-20', name: 'refresh_token missing', id: 'TOK-20.missing', request: { refreshToken: undefined } },
  { rule: 'TOK-20', name: 'unknown refresh token', id: 'TOK-20.unknown', record: null },
  { rule: 'TOK-20', name: 'revoked refresh token', id: 'TOK-20.revoked', record: { revokedAt: NOW - 1000 } },
  {
    rule: 'TOK-20',
    name: 'rotated refresh token used again: replay',
    id: 'TOK-20.replayed',
    record: { rotatedAt: NOW - 1000 },
    revokeFamily: true,
  },
  {
    rule: 'TOK-20',
    name: 'replay by a requester without the DPoP key revokes nothing',
    id: 'TOK-20.dpop_key',
    record: { rotatedAt: NOW - 1000 },
    request: { dpopJkt: OTHER_JKT },
  },
  { rule: 'TOK-20', name: 'expired refresh token', id: 'TOK-20.expired', record: { expiresAt: NOW } },
  { rule: 'TOK-12', name: 'client not identified', id: 'TOK-12.missing', request: { clientId: null } },
  { rule: 'TOK-20', name: 'refresh token of another client', id: 'TOK-20.client', request: { clientId: 'wallet-2' } },
  { rule: 'TOK-20', name: 'DPoP-bound family without DPoP proof', id: 'TOK-20.no_proof', request: { dpopJkt: undefined } },
  { rule: 'TOK-20', name: 'DPoP-bound family, proof of another key', id: 'TOK-20.dpop_key', request: { dpopJkt: OTHER_JKT } },
  {
    rule: 'TOK-20',
    name: 'unbound family accepts any DPoP key',
    id: null,
    record: { dpopJkt: null },
    request: { dpopJkt: OTHER_JKT },
  },
  { rule: 'WA-13', name: 'attested family without attestation', id: 'WA-13.missing', request: { attestationJkt: undefined } },
  { rule: 'WA-13', name: 'attestation of another client instance key', id: 'WA-13.key', request: { attestationJkt: JKT } },
  {
    rule: 'H-13',
    name: 'family exactly at the maximum age',
    id: null,
    record: { familyIssuedAt: NOW - REFRESH_FAMILY_MAX_AGE_S * 1000 },
  },
  {
    rule: 'H-13',
    name: 'family older than the maximum age',
    id: 'H-13',
    record: { familyIssuedAt: NOW - REFRESH_FAMILY_MAX_AGE_S * 1000 - 1000 },
  },
];

describe('checkRefreshGrant', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const stored = row.record === null ? undefined : { ...record(), ...row.record };
      const result = checkRefreshGrant({ ...request(), ...row.request }, stored, NOW);
      assertFinding(result, row.id, row.rule);
      assert.equal(result.revokeFamily, row.revokeFamily ?? false);
    });
  }

  it('TOK-20: returns the family and what it covers', () => {
    const result = checkRefreshGrant(request(), record(), NOW);
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.value, { familyId: 'family-1', authorized: record().authorized });
  });
});
