// checkAuthorizationDetails (PAR-09, D13-C1) and checkRequestedCredentials (PAR-08, AUTH-05) against
// OID4VCI 1.0 Sections 5.1.1 and 5.1.2 and RFC 9396. Every row changes one thing in a valid request.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkAuthorizationDetails,
  checkRequestedCredentials,
  type OpenIdCredentialDetail,
} from '../../src/checks/authorization-details.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { credentialConfigurations } from '../../src/issuance/configurations.ts';
import { assertFinding, type Json } from './jws-helpers.ts';

const ISSUER = 'https://issuer.example';
const CTX = { issuer: ISSUER, configurations: credentialConfigurations };
const PID = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
const DIPLOMA = 'org.example.university_diploma_sd_jwt';

describe('checkAuthorizationDetails', () => {
  const entry = (): Json => ({ type: 'openid_credential', credential_configuration_id: PID });
  const rows: { name: string; id: DiagnosticId | null; rule?: string; value?: () => unknown; change?: (e: Json) => void }[] = [
    { name: 'valid entry as a JSON string (form body)', id: null },
    { name: 'valid entry as a parsed array', id: null, value: () => [entry()] },
    {
      name: 'two configurations',
      id: null,
      value: () => JSON.stringify([entry(), { ...entry(), credential_configuration_id: DIPLOMA }]),
    },
    {
      name: 'claims with paths',
      id: null,
      change: (e) => {
        e.claims = [{ path: ['given_name'] }, { path: ['address', 'locality'], mandatory: true }];
      },
    },
    {
      name: 'locations containing this issuer',
      id: null,
      change: (e) => {
        e.locations = ['https://other.example', ISSUER];
      },
    },
    {
      name: 'unknown extra fields are allowed',
      id: null,
      change: (e) => {
        e.purpose = 'onboarding';
      },
    },
    {
      name: 'format beside credential_configuration_id is an extra field in 1.0',
      id: null,
      change: (e) => {
        e.format = 'dc+sd-jwt';
      },
    },
    { name: 'not JSON', id: 'PAR-09.json', value: () => '[{type:openid_credential}]' },
    { name: 'a JSON object instead of an array', id: 'PAR-09.shape', value: () => JSON.stringify(entry()) },
    { name: 'empty array', id: 'PAR-09.shape', value: () => '[]' },
    { name: 'array of strings', id: 'PAR-09.shape', value: () => JSON.stringify([PID]) },
    {
      name: 'another authorization details type',
      id: 'PAR-09.type',
      change: (e) => {
        e.type = 'payment_initiation';
      },
    },
    {
      name: 'type missing',
      id: 'PAR-09.type',
      change: (e) => {
        delete e.type;
      },
    },
    {
      name: 'draft-13 format + vct shape',
      id: 'D13-C1.authorization_details',
      rule: 'D13-C1',
      value: () => JSON.stringify([{ type: 'openid_credential', format: 'vc+sd-jwt', vct: 'urn:eudi:pid:1' }]),
    },
    {
      name: 'credential_configuration_id missing',
      id: 'PAR-09.configuration_id',
      change: (e) => {
        delete e.credential_configuration_id;
      },
    },
    {
      name: 'credential_configuration_id a number',
      id: 'PAR-09.configuration_id',
      change: (e) => {
        e.credential_configuration_id = 7;
      },
    },
    {
      name: 'unknown configuration',
      id: 'PAR-09.unknown_configuration',
      change: (e) => {
        e.credential_configuration_id = 'UniversityDegreeCredential';
      },
    },
    {
      name: 'claims not an array',
      id: 'PAR-09.claims',
      change: (e) => {
        e.claims = 'given_name';
      },
    },
    {
      name: 'claims an object (draft-13 shape)',
      id: 'PAR-09.claims',
      change: (e) => {
        e.claims = { given_name: {} };
      },
    },
    {
      name: 'claims empty',
      id: 'PAR-09.claims',
      change: (e) => {
        e.claims = [];
      },
    },
    {
      name: 'locations without this issuer',
      id: 'PAR-09.locations',
      change: (e) => {
        e.locations = ['https://other.example'];
      },
    },
    {
      name: 'locations a string',
      id: 'PAR-09.locations',
      change: (e) => {
        e.locations = ISSUER;
      },
    },
    {
      name: 'second entry malformed',
      id: 'PAR-09.unknown_configuration',
      value: () => JSON.stringify([entry(), { ...entry(), credential_configuration_id: 'x' }]),
    },
  ];
  for (const row of rows) {
    it(`${row.rule ?? 'PAR-09'}: ${row.name}`, () => {
      const e = entry();
      row.change?.(e);
      const result = checkAuthorizationDetails(row.value ? row.value() : JSON.stringify([e]), CTX);
      assertFinding(result, row.id, row.rule ?? 'PAR-09');
    });
  }

  it('PAR-09: returns the entries as sent, extra fields and claims included', () => {
    const sent = { ...entry(), claims: [{ path: ['given_name'] }], locations: [ISSUER], purpose: 'x' };
    const result = checkAuthorizationDetails(JSON.stringify([sent]), CTX);
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.value, [sent]);
  });
});

describe('checkRequestedCredentials', () => {
  const pid = credentialConfigurations.find((c) => c.id === PID)!;
  const diploma = credentialConfigurations.find((c) => c.id === DIPLOMA)!;
  const detail = (id: string, claims?: Json[]): OpenIdCredentialDetail =>
    ({ type: 'openid_credential', credential_configuration_id: id, ...(claims ? { claims } : {}) }) as OpenIdCredentialDetail;
  const rows: {
    name: string;
    rule: string;
    scope?: string;
    details?: OpenIdCredentialDetail[];
    id: DiagnosticId | null;
    requested?: { credential_configuration_id: string; via: string; claims?: unknown }[];
    detail?: RegExp;
  }[] = [
    {
      name: 'one known scope',
      rule: 'PAR-08',
      scope: pid.scope,
      id: null,
      requested: [{ credential_configuration_id: PID, via: 'scope' }],
    },
    {
      name: 'two scopes, each one configuration',
      rule: 'PAR-08',
      scope: `${pid.scope} ${diploma.scope}`,
      id: null,
      requested: [
        { credential_configuration_id: PID, via: 'scope' },
        { credential_configuration_id: DIPLOMA, via: 'scope' },
      ],
    },
    {
      name: 'unknown scope values are ignored and noted',
      rule: 'PAR-08',
      scope: `openid ${pid.scope} offline_access`,
      id: null,
      requested: [{ credential_configuration_id: PID, via: 'scope' }],
      detail: /openid offline_access/,
    },
    {
      name: 'a repeated scope value counts once',
      rule: 'PAR-08',
      scope: `${pid.scope} ${pid.scope}`,
      id: null,
      requested: [{ credential_configuration_id: PID, via: 'scope' }],
    },
    { name: 'only unknown scope values', rule: 'PAR-08', scope: 'openid profile', id: 'PAR-08', detail: /openid profile/ },
    { name: 'neither scope nor authorization_details', rule: 'PAR-08', id: 'PAR-08' },
    {
      name: 'authorization_details alone',
      rule: 'PAR-09',
      details: [detail(PID)],
      id: null,
      requested: [{ credential_configuration_id: PID, via: 'authorization_details' }],
    },
    {
      name: 'unknown scope beside authorization_details',
      rule: 'PAR-08',
      scope: 'openid',
      details: [detail(PID)],
      id: null,
      requested: [{ credential_configuration_id: PID, via: 'authorization_details' }],
    },
    {
      name: 'authorization_details win for the same configuration',
      rule: 'AUTH-05',
      scope: pid.scope,
      details: [detail(PID, [{ path: ['given_name'] }])],
      id: null,
      requested: [{ credential_configuration_id: PID, via: 'authorization_details', claims: [{ path: ['given_name'] }] }],
      detail: new RegExp(PID),
    },
    {
      name: 'scope and authorization_details for different configurations add up',
      rule: 'AUTH-05',
      scope: diploma.scope,
      details: [detail(PID)],
      id: null,
      requested: [
        { credential_configuration_id: PID, via: 'authorization_details' },
        { credential_configuration_id: DIPLOMA, via: 'scope' },
      ],
    },
  ];
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const result = checkRequestedCredentials(row.scope, row.details, credentialConfigurations);
      assertFinding(result, row.id, row.rule === 'PAR-09' ? undefined : row.rule);
      if (result.ok) assert.deepEqual(result.value, row.requested);
      if (row.detail) {
        const finding = result.findings.find((f) => f.rule === row.rule);
        assert.match(finding?.detail ?? '', row.detail);
      }
    });
  }
});
