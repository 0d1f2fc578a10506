// decideAuthorization (AUTH-01, AUTH-02, AUTH-03) for each state of the pushed request, and the
// redirect back to the wallet (AUTH-04, RFC 6749 Section 4.1.2, RFC 9207).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AuthorizationDecision,
  authorizationResponse,
  decideAuthorization,
  errorRedirect,
  type ParRecordState,
  readAuthorizationQuery,
} from '../../src/checks/authorization-request.ts';
import { failure } from '../../src/checks/finding.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { assertFinding, type Json } from './jws-helpers.ts';

const ISSUER = 'https://issuer.example';
const REQUEST_URI = 'urn:ietf:params:oauth:request_uri:6esc_11ACC5bwc014ltc14eY22c';
const CLIENT = 'wallet-instance-1';
const REDIRECT = 'https://wallet.example/cb?flow=vci';
const pushed = (status: 'ok' | 'expired' | 'used', clientId = CLIENT): ParRecordState => ({
  status,
  clientId,
  redirectUri: REDIRECT,
  state: 'st 1&x=y',
});

interface Row {
  rule: string;
  name: string;
  query: Json;
  record: ParRecordState;
  action: AuthorizationDecision['action'];
  id: DiagnosticId | null;
}

const query = (extra: Json = {}): Json => ({ client_id: CLIENT, request_uri: REQUEST_URI, ...extra });

const rows: Row[] = [
  {
    rule: 'AUTH-02',
    name: 'fresh pushed request of this client: consent',
    query: query(),
    record: pushed('ok'),
    action: 'consent',
    id: null,
  },
  {
    rule: 'AUTH-02',
    name: 'front-channel parameters beside request_uri are ignored',
    query: query({ scope: 'x', redirect_uri: 'https://evil.example' }),
    record: pushed('ok'),
    action: 'consent',
    id: null,
  },
  {
    rule: 'AUTH-01',
    name: 'no request_uri (not pushed)',
    query: { client_id: CLIENT, response_type: 'code', redirect_uri: REDIRECT },
    record: { status: 'unknown' },
    action: 'error_page',
    id: 'AUTH-01',
  },
  {
    rule: 'AUTH-02',
    name: 'request_uri twice',
    query: query({ request_uri: [REQUEST_URI, REQUEST_URI] }),
    record: pushed('ok'),
    action: 'error_page',
    id: 'AUTH-02.repeated',
  },
  {
    rule: 'AUTH-02',
    name: 'client_id missing',
    query: { request_uri: REQUEST_URI },
    record: pushed('ok'),
    action: 'error_page',
    id: 'AUTH-02.client_id_missing',
  },
  {
    rule: 'AUTH-02',
    name: 'request_uri by reference (https), not from PAR',
    query: query({ request_uri: 'https://wallet.example/request.jwt' }),
    record: { status: 'unknown' },
    action: 'error_page',
    id: 'AUTH-02.request_uri',
  },
  {
    rule: 'AUTH-02',
    name: 'unknown request_uri: no redirect_uri to trust',
    query: query(),
    record: { status: 'unknown' },
    action: 'error_page',
    id: 'AUTH-02.unknown',
  },
  {
    rule: 'AUTH-02',
    name: 'another client than the pushing one',
    query: query(),
    record: pushed('ok', 'other-wallet'),
    action: 'error_page',
    id: 'AUTH-02.client_id',
  },
  {
    rule: 'AUTH-02',
    name: 'another client and expired: still never redirected',
    query: query(),
    record: pushed('expired', 'other-wallet'),
    action: 'error_page',
    id: 'AUTH-02.client_id',
  },
  {
    rule: 'AUTH-02',
    name: 'expired request_uri: redirected with the error',
    query: query(),
    record: pushed('expired'),
    action: 'redirect',
    id: 'AUTH-02.expired',
  },
  {
    rule: 'AUTH-02',
    name: 'used request_uri: redirected with the error',
    query: query(),
    record: pushed('used'),
    action: 'redirect',
    id: 'AUTH-02.used',
  },
];

describe('decideAuthorization', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const decision = decideAuthorization(readAuthorizationQuery(row.query), row.record, ISSUER);
      assert.equal(decision.action, row.action);
      const verdict =
        decision.action === 'consent'
          ? { ok: true as const, value: null, findings: decision.findings }
          : { ok: false as const, failure: decision.failure, findings: decision.findings };
      assertFinding(verdict, row.id, row.rule);
    });
  }

  it('AUTH-03: an error redirect carries error, error_description, the pushed state and iss on the pushed redirect_uri', () => {
    const decision = decideAuthorization(readAuthorizationQuery(query()), pushed('expired'), ISSUER);
    assert.equal(decision.action, 'redirect');
    if (decision.action !== 'redirect') return;
    assert.equal(decision.status, 303);
    const location = new URL(decision.location);
    assert.equal(`${location.origin}${location.pathname}`, 'https://wallet.example/cb');
    assert.deepEqual(Object.fromEntries(location.searchParams), {
      flow: 'vci',
      error: 'invalid_request_uri',
      error_description: 'request_uri expired',
      state: 'st 1&x=y',
      iss: ISSUER,
    });
  });

  it('AUTH-02: the ignored front-channel parameters are named', () => {
    const decision = decideAuthorization(readAuthorizationQuery(query({ scope: 'x', prompt: 'none' })), pushed('ok'), ISSUER);
    assert.match(decision.findings.find((f) => f.rule === 'AUTH-02')?.detail ?? '', /scope, prompt/);
  });
});

describe('authorizationResponse', () => {
  const rows: { name: string; redirectUri: string; params: Parameters<typeof authorizationResponse>[1]; location: string }[] = [
    {
      name: 'code, state and iss on an https URI',
      redirectUri: 'https://wallet.example/cb',
      params: { code: 'c1', state: 's1', iss: ISSUER },
      location: 'https://wallet.example/cb?code=c1&state=s1&iss=https%3A%2F%2Fissuer.example',
    },
    {
      name: 'an existing query is kept',
      redirectUri: 'https://wallet.example/cb?flow=vci',
      params: { code: 'c1', iss: ISSUER },
      location: 'https://wallet.example/cb?flow=vci&code=c1&iss=https%3A%2F%2Fissuer.example',
    },
    {
      name: 'a URI ending in ? gets no second separator',
      redirectUri: 'https://wallet.example/cb?',
      params: { code: 'c1', iss: ISSUER },
      location: 'https://wallet.example/cb?code=c1&iss=https%3A%2F%2Fissuer.example',
    },
    {
      name: 'custom scheme',
      redirectUri: 'eudi-openid4ci://authorize',
      params: { code: 'c1', iss: ISSUER },
      location: 'eudi-openid4ci://authorize?code=c1&iss=https%3A%2F%2Fissuer.example',
    },
    {
      name: 'state is form-encoded',
      redirectUri: 'com.example.wallet:/cb',
      params: { code: 'c/1', state: 'a b&c=d', iss: ISSUER },
      location: 'com.example.wallet:/cb?code=c%2F1&state=a+b%26c%3Dd&iss=https%3A%2F%2Fissuer.example',
    },
    {
      name: 'error without description or state',
      redirectUri: 'https://wallet.example/cb',
      params: { error: 'access_denied', iss: ISSUER },
      location: 'https://wallet.example/cb?error=access_denied&iss=https%3A%2F%2Fissuer.example',
    },
    {
      name: 'error_description restricted to the RFC 6749 character set',
      redirectUri: 'https://wallet.example/cb',
      params: { error: 'invalid_request', error_description: 'say "hi" ✓', iss: ISSUER },
      location:
        'https://wallet.example/cb?error=invalid_request&error_description=say+%27hi%27+%27&iss=https%3A%2F%2Fissuer.example',
    },
  ];
  for (const row of rows) {
    it(`AUTH-04: ${row.name}`, () =>
      assert.deepEqual(authorizationResponse(row.redirectUri, row.params), { status: 303, location: row.location }));
  }

  it('AUTH-03: the consent page declined: access_denied with the pushed state', () => {
    const redirect = errorRedirect(failure('AUTH-03.denied'), { redirectUri: 'https://wallet.example/cb', state: 's1' }, ISSUER);
    assert.equal(
      redirect.location,
      'https://wallet.example/cb?error=access_denied&error_description=The+user+declined&state=s1&iss=https%3A%2F%2Fissuer.example',
    );
  });
});
