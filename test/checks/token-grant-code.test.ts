// checkCodeGrant against TOK-06, TOK-09..12, TOK-15, TOK-16 (RFC 6749 Section 4.1.3, RFC 7636,
// RFC 9449 Section 10, OID4VCI 1.0 Section 6.1.1). Every row changes one thing in a valid exchange.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestedCredential } from '../../src/checks/authorization-details.ts';
import { AUTHORIZATION_CODE_TTL_S } from '../../src/checks/authorization-request.ts';
import { type AuthorizationCodeRecord, type CodeGrantRequest, checkCodeGrant } from '../../src/checks/token-grant-code.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { credentialConfigurations } from '../../src/issuance/configurations.ts';
import { assertFinding } from './jws-helpers.ts';

const NOW = 1_750_000_000_000;
const ISSUER = 'https://issuer.example';
const PID = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
const DIPLOMA = 'org.example.university_diploma_sd_jwt';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const OTHER_JKT = `${JKT.slice(0, 42)}A`;
const AUTHORIZED: RequestedCredential[] = [
  {
    credential_configuration_id: PID,
    via: 'authorization_details',
    claims: [{ path: ['given_name'] }, { path: ['family_name'] }],
  },
  { credential_configuration_id: DIPLOMA, via: 'scope' },
];
const details = (...entries: object[]) => JSON.stringify(entries.map((e) => ({ type: 'openid_credential', ...e })));

const record = (): AuthorizationCodeRecord => ({
  clientId: 'wallet-1',
  redirectUri: 'eudi-openid4ci://authorize',
  codeChallenge: CHALLENGE,
  dpopJkt: JKT,
  authorized: AUTHORIZED,
  issuedAt: NOW - 5_000,
  redeemedAt: null,
});
const request = (): CodeGrantRequest => ({
  code: 'code-1',
  redirectUri: 'eudi-openid4ci://authorize',
  codeVerifier: VERIFIER,
  clientId: 'wallet-1',
  dpopJkt: JKT,
  authorizationDetails: undefined,
  txCode: undefined,
});

interface Row {
  rule: string;
  name: string;
  id: DiagnosticId | null;
  request?: Partial<CodeGrantRequest>;
  record?: Partial<AuthorizationCodeRecord> | null;
  authorized?: RequestedCredential[];
}

const rows: Row[] = [
  { rule: 'TOK-15', name: 'valid exchange with a DPoP-bound code', id: null, authorized: AUTHORIZED },
  { rule: 'TOK-11', name: 'unbound code, any DPoP key', id: null, record: { dpopJkt: null }, request: { dpopJkt: OTHER_JKT } },
  { rule: 'TOK-06', name: 'tx_code sent', id: 'TOK-06.grant', request: { txCode: '1234' } },
  { rule: 'TOK-09', name: 'code missing', id: 'TOK-09.missing', request: { code: undefined } },
  { rule: 'TOK-09', name: 'unknown code', id: 'TOK-09.unknown', record: null },
  { rule: 'TOK-09', name: 'code used before', id: 'TOK-09.reused', record: { redeemedAt: NOW - 2_000 } },
  {
    rule: 'TOK-09',
    name: 'code used before and expired: reuse is reported',
    id: 'TOK-09.reused',
    record: { redeemedAt: NOW - 2_000, issuedAt: NOW - 120_000 },
  },
  {
    rule: 'TOK-09',
    name: `code exactly ${AUTHORIZATION_CODE_TTL_S} s old`,
    id: 'TOK-09.expired',
    record: { issuedAt: NOW - AUTHORIZATION_CODE_TTL_S * 1000 },
  },
  {
    rule: 'TOK-09',
    name: 'code one second before expiry',
    id: null,
    record: { issuedAt: NOW - AUTHORIZATION_CODE_TTL_S * 1000 + 1000 },
  },
  { rule: 'TOK-09', name: 'code of another client', id: 'TOK-09.client', request: { clientId: 'wallet-2' } },
  { rule: 'TOK-12', name: 'client not identified', id: 'TOK-12.missing', request: { clientId: null } },
  { rule: 'TOK-10', name: 'redirect_uri missing', id: 'TOK-10.missing', request: { redirectUri: undefined } },
  {
    rule: 'TOK-10',
    name: 'redirect_uri differs',
    id: 'TOK-10.mismatch',
    request: { redirectUri: 'eudi-openid4ci://authorize/' },
  },
  { rule: 'TOK-11', name: 'code_verifier missing', id: 'TOK-11.missing', request: { codeVerifier: undefined } },
  {
    rule: 'TOK-11',
    name: 'code_verifier of another authorization',
    id: 'TOK-11.mismatch',
    request: { codeVerifier: `${VERIFIER.slice(0, 42)}A` },
  },
  { rule: 'TOK-11', name: 'code_verifier too short', id: 'TOK-11.syntax', request: { codeVerifier: 'short' } },
  { rule: 'TOK-15', name: 'bound code without DPoP proof', id: 'TOK-15.no_proof', request: { dpopJkt: undefined } },
  { rule: 'TOK-15', name: 'bound code, proof of another key', id: 'TOK-15.mismatch', request: { dpopJkt: OTHER_JKT } },
  {
    rule: 'TOK-16',
    name: 'authorization_details narrow to one configuration',
    id: null,
    request: { authorizationDetails: details({ credential_configuration_id: DIPLOMA }) },
    authorized: [{ credential_configuration_id: DIPLOMA, via: 'authorization_details' }],
  },
  {
    rule: 'TOK-16',
    name: 'authorization_details keep the consented claims when they name none',
    id: null,
    request: { authorizationDetails: details({ credential_configuration_id: PID }) },
    authorized: [{ ...AUTHORIZED[0]! }],
  },
  {
    rule: 'TOK-16',
    name: 'authorization_details narrow the consented claims',
    id: null,
    request: { authorizationDetails: details({ credential_configuration_id: PID, claims: [{ path: ['given_name'] }] }) },
    authorized: [{ credential_configuration_id: PID, via: 'authorization_details', claims: [{ path: ['given_name'] }] }],
  },
  {
    rule: 'TOK-16',
    name: 'claims for a configuration consented without restriction',
    id: null,
    request: { authorizationDetails: details({ credential_configuration_id: DIPLOMA, claims: [{ path: ['degree'] }] }) },
    authorized: [{ credential_configuration_id: DIPLOMA, via: 'authorization_details', claims: [{ path: ['degree'] }] }],
  },
  {
    rule: 'TOK-16',
    name: 'a configuration that was not authorised',
    id: 'TOK-16.not_authorised',
    request: { authorizationDetails: details({ credential_configuration_id: `${PID}_deferred` }) },
  },
  {
    rule: 'TOK-16',
    name: 'claims beyond the consented ones',
    id: 'TOK-16.not_authorised',
    request: { authorizationDetails: details({ credential_configuration_id: PID, claims: [{ path: ['birthdate'] }] }) },
  },
  {
    rule: 'PAR-09',
    name: 'malformed authorization_details get the PAR-09 checks',
    id: 'PAR-09.shape',
    request: { authorizationDetails: '[]' },
  },
];

describe('checkCodeGrant', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const stored = row.record === null ? undefined : { ...record(), ...row.record };
      const result = checkCodeGrant({ ...request(), ...row.request }, stored, {
        issuer: ISSUER,
        configurations: credentialConfigurations,
        nowMs: NOW,
      });
      assertFinding(result, row.id, row.rule);
      assert.equal(result.revokeTokensOfCode, row.id === 'TOK-09.reused');
      if (result.ok && row.authorized) assert.deepEqual(result.value.authorized, row.authorized);
    });
  }
});
