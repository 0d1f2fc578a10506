// checkParRequest against PAR-01..14 (RFC 9126 Section 2.1, FAPI 2.0 SP Section 5.3.2.2, OID4VCI 1.0
// Section 5.1). Every row changes exactly one thing in a valid pushed request and names its rule.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkParRequest,
  dpopJktFinding,
  issuerStateFinding,
  PAR_REQUEST_URI_TTL_S,
  pushedAuthorizationResponse,
} from '../../src/checks/par-request.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { credentialConfigurations } from '../../src/issuance/configurations.ts';
import { asChecked, assertWarning } from './finding-helpers.ts';
import { assertFinding, type Json, set, without } from './jws-helpers.ts';

const ISSUER = 'https://issuer.example';
const CTX = { issuer: ISSUER, configurations: credentialConfigurations };
const FORM = 'application/x-www-form-urlencoded';
const PID = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';
const JKT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';
const OTHER_JKT = `${JKT.slice(0, 42)}A`;
const DETAILS = JSON.stringify([{ type: 'openid_credential', credential_configuration_id: PID }]);

/** A valid pushed request as Fastify's form parser hands it over. */
const baseline = (): Json => ({
  response_type: 'code',
  client_id: 'wallet-instance-1',
  redirect_uri: 'eudi-openid4ci://authorize',
  code_challenge: CHALLENGE,
  code_challenge_method: 'S256',
  scope: PID,
  state: 'st-1',
});

interface Row {
  rule: string;
  name: string;
  id: DiagnosticId | null;
  change?: (body: Json) => void;
  mediaType?: string;
  body?: unknown;
  dpopProofJkt?: string;
  warn?: DiagnosticId;
}

const rows: Row[] = [
  { rule: 'PAR-14', name: 'valid pushed request', id: null },
  { rule: 'PAR-01', name: 'JSON body', id: 'PAR-01.content_type', mediaType: 'application/json' },
  { rule: 'PAR-01', name: 'no body', id: 'PAR-01.content_type', body: undefined },
  { rule: 'PAR-01', name: 'client_id sent twice', id: 'PAR-01.repeated', change: set('client_id', ['a', 'b']) },
  { rule: 'PAR-11', name: 'resource may repeat', id: null, change: set('resource', [ISSUER, ISSUER]) },
  {
    rule: 'PAR-03',
    name: 'request_uri in the body',
    id: 'PAR-03',
    change: set('request_uri', 'urn:ietf:params:oauth:request_uri:x'),
  },
  { rule: 'PAR-04', name: 'response_type missing', id: 'PAR-04.missing', change: without('response_type') },
  {
    rule: 'PAR-04',
    name: 'response_type code id_token',
    id: 'PAR-04.unsupported',
    change: set('response_type', 'code id_token'),
  },
  { rule: 'PAR-04', name: 'response_type token', id: 'PAR-04.unsupported', change: set('response_type', 'token') },
  { rule: 'PAR-05', name: 'code_challenge missing', id: 'PAR-05.missing', change: without('code_challenge') },
  {
    rule: 'PAR-05',
    name: 'code_challenge_method missing',
    id: 'PAR-05.method_missing',
    change: without('code_challenge_method'),
  },
  { rule: 'PAR-05', name: 'code_challenge_method plain', id: 'PAR-05.plain', change: set('code_challenge_method', 'plain') },
  { rule: 'PAR-06', name: 'redirect_uri missing', id: 'PAR-06.missing', change: without('redirect_uri') },
  {
    rule: 'PAR-06',
    name: 'redirect_uri on plain http',
    id: 'PAR-06.http',
    change: set('redirect_uri', 'http://wallet.example/cb'),
  },
  { rule: 'PAR-06', name: 'redirect_uri javascript:', id: 'PAR-06.scheme', change: set('redirect_uri', 'javascript:alert(1)') },
  {
    rule: 'PAR-06',
    name: 'redirect_uri on localhost warns',
    id: null,
    warn: 'PAR-06.localhost',
    change: set('redirect_uri', 'http://localhost:4000/cb'),
  },
  { rule: 'PAR-07', name: 'client_id missing', id: 'PAR-07', change: without('client_id') },
  {
    rule: 'PAR-07',
    name: 'client_id empty counts as missing (RFC 6749 Section 3.1)',
    id: 'PAR-07',
    change: set('client_id', ''),
  },
  { rule: 'PAR-08', name: 'only unknown scope values', id: 'PAR-08', change: set('scope', 'openid') },
  { rule: 'PAR-08', name: 'no scope and no authorization_details', id: 'PAR-08', change: without('scope') },
  {
    rule: 'PAR-09',
    name: 'authorization_details instead of scope',
    id: null,
    change: (b) => {
      delete b.scope;
      b.authorization_details = DETAILS;
    },
  },
  {
    rule: 'PAR-09',
    name: 'authorization_details of another type',
    id: 'PAR-09.type',
    change: set('authorization_details', '[{"type":"account_information"}]'),
  },
  {
    rule: 'PAR-09',
    name: 'authorization_details not JSON',
    id: 'PAR-09.json',
    change: set('authorization_details', 'openid_credential'),
  },
  { rule: 'PAR-11', name: 'resource is this issuer', id: null, change: set('resource', ISSUER) },
  {
    rule: 'PAR-11',
    name: 'resource of another server warns',
    id: null,
    warn: 'PAR-11.foreign',
    change: set('resource', 'https://rs.example'),
  },
  { rule: 'PAR-11', name: 'resource relative', id: 'PAR-11', change: set('resource', '/credential') },
  { rule: 'PAR-12', name: 'dpop_jkt well-formed', id: null, change: set('dpop_jkt', JKT) },
  { rule: 'PAR-12', name: 'DPoP proof at PAR without dpop_jkt', id: null, dpopProofJkt: JKT },
  {
    rule: 'PAR-12',
    name: 'dpop_jkt and the DPoP proof of the same key',
    id: null,
    dpopProofJkt: JKT,
    change: set('dpop_jkt', JKT),
  },
  {
    rule: 'PAR-12',
    name: 'dpop_jkt of another key than the DPoP proof',
    id: 'PAR-12.mismatch',
    dpopProofJkt: OTHER_JKT,
    change: set('dpop_jkt', JKT),
  },
  { rule: 'PAR-12', name: 'dpop_jkt with padding', id: 'PAR-12.syntax', change: set('dpop_jkt', `${JKT}=`) },
  {
    rule: 'PAR-12',
    name: 'dpop_jkt hex',
    id: 'PAR-12.syntax',
    change: set('dpop_jkt', Buffer.from(JKT, 'base64url').toString('hex')),
  },
  {
    rule: 'PAR-14',
    name: 'unknown parameters are ignored',
    id: null,
    change: (b) => {
      b.prompt = 'login';
      b.nonce = 'n';
    },
  },
];

describe('checkParRequest', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const body = 'body' in row ? row.body : baseline();
      if (row.change) row.change(body as Json);
      const result = checkParRequest(
        { mediaType: row.mediaType ?? FORM, body, ...(row.dpopProofJkt ? { dpopProofJkt: row.dpopProofJkt } : {}) },
        CTX,
      );
      assertFinding(result, row.id, row.rule);
      if (row.warn) assertWarning(result, row.warn);
    });
  }

  it('returns the parsed request: PKCE, redirect, requested credentials and the echoed values', () => {
    const body = {
      ...baseline(),
      issuer_state: 'offer-state-1',
      resource: ISSUER,
      dpop_jkt: JKT,
      authorization_details: DETAILS,
      scope: `openid ${PID}`,
    };
    const result = checkParRequest({ mediaType: FORM, body }, CTX);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.deepEqual(result.value, {
      clientId: 'wallet-instance-1',
      redirectUri: 'eudi-openid4ci://authorize',
      codeChallenge: CHALLENGE,
      codeChallengeMethod: 'S256',
      scope: `openid ${PID}`,
      requested: [{ credential_configuration_id: PID, via: 'authorization_details' }],
      authorizationDetails: [{ type: 'openid_credential', credential_configuration_id: PID }],
      issuerState: 'offer-state-1',
      state: 'st-1',
      resource: [ISSUER],
      dpopJkt: JKT,
    });
    assert.deepEqual(
      result.findings.map((f) => f.rule),
      ['PAR-01', 'PAR-03', 'PAR-04', 'PAR-05', 'PAR-06', 'PAR-07', 'PAR-09', 'PAR-08', 'AUTH-05', 'PAR-11', 'PAR-12', 'PAR-14'],
    );
  });

  it('PAR-12: the code binds to the DPoP proof key, else to dpop_jkt', () => {
    const viaProof = checkParRequest({ mediaType: FORM, body: baseline(), dpopProofJkt: JKT }, CTX);
    const viaParam = checkParRequest({ mediaType: FORM, body: { ...baseline(), dpop_jkt: JKT } }, CTX);
    const unbound = checkParRequest({ mediaType: FORM, body: baseline() }, CTX);
    assert.deepEqual(
      [viaProof, viaParam, unbound].map((r) => (r.ok ? r.value.dpopJkt : 'failed')),
      [JKT, JKT, undefined],
    );
  });

  it('PAR-14: the ignored parameters are named', () => {
    const result = checkParRequest({ mediaType: FORM, body: { ...baseline(), prompt: 'login', client_assertion: 'eyJ' } }, CTX);
    assert.match(result.findings.find((f) => f.rule === 'PAR-14')?.detail ?? '', /prompt, client_assertion/);
  });
});

describe('dpopJktFinding', () => {
  const rows: { name: string; param?: string; header?: string; id: DiagnosticId | null }[] = [
    { name: 'dpop_jkt and DPoP proof of the same key', param: JKT, header: JKT, id: null },
    { name: 'dpop_jkt only', param: JKT, id: null },
    { name: 'DPoP proof only', header: JKT, id: null },
    { name: 'neither (an unbound code)', id: null },
    { name: 'dpop_jkt of another key than the proof', param: JKT, header: OTHER_JKT, id: 'PAR-12.mismatch' },
  ];
  for (const row of rows) {
    it(`PAR-12: ${row.name}`, () => assertFinding(asChecked(dpopJktFinding(row.param, row.header)), row.id, 'PAR-12'));
  }
});

describe('issuerStateFinding and pushedAuthorizationResponse', () => {
  it('PAR-10: issuer_state of a valid offer passes', () => assertFinding(asChecked(issuerStateFinding(true)), null, 'PAR-10'));
  it('PAR-10: unknown issuer_state only warns', () => assertWarning(asChecked(issuerStateFinding(false)), 'PAR-10.unknown'));
  it('PAR-13: request_uri is a urn:ietf:params:oauth:request_uri with a short expires_in', () => {
    assert.deepEqual(pushedAuthorizationResponse('abc123'), {
      request_uri: 'urn:ietf:params:oauth:request_uri:abc123',
      expires_in: PAR_REQUEST_URI_TTL_S,
    });
    assert.ok(PAR_REQUEST_URI_TTL_S <= 60);
  });
});
