// tokenResponse against TOK-18 (OID4VCI 1.0 Section 6.2, RFC 9449 Section 5).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestedCredential } from '../../src/checks/authorization-details.ts';
import { type TokenResponseInput, tokenResponse } from '../../src/checks/token-response.ts';

const PID = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
const DIPLOMA = 'org.example.university_diploma_sd_jwt';

function input(authorized: RequestedCredential[], extra: Partial<TokenResponseInput> = {}): TokenResponseInput {
  let n = 0;
  return { accessToken: 'at-1', dpopBound: true, expiresIn: 600, authorized, newIdentifier: () => `id-${++n}`, ...extra };
}

describe('tokenResponse', () => {
  it('TOK-18: scope-only requests get no authorization_details', () => {
    const { body, credentialIdentifiers } = tokenResponse(input([{ credential_configuration_id: PID, via: 'scope' }]));
    assert.deepEqual(body, { access_token: 'at-1', token_type: 'DPoP', expires_in: 600 });
    assert.deepEqual(credentialIdentifiers, []);
  });

  it('TOK-18: token_type Bearer when the token is not DPoP-bound; refresh_token when issued', () => {
    const { body } = tokenResponse(
      input([{ credential_configuration_id: PID, via: 'scope' }], { dpopBound: false, expiresIn: 300, refreshToken: 'rt-1' }),
    );
    assert.deepEqual(body, { access_token: 'at-1', token_type: 'Bearer', expires_in: 300, refresh_token: 'rt-1' });
  });

  it('TOK-18: authorization_details carry a non-empty credential_identifiers per configuration, returned for CRED-11', () => {
    const { body, credentialIdentifiers } = tokenResponse(
      input([{ credential_configuration_id: PID, via: 'authorization_details', claims: [{ path: ['given_name'] }] }]),
    );
    assert.deepEqual(body.authorization_details, [
      { type: 'openid_credential', credential_configuration_id: PID, credential_identifiers: ['id-1'] },
    ]);
    assert.deepEqual(credentialIdentifiers, [{ credential_identifier: 'id-1', credential_configuration_id: PID }]);
  });

  it('TOK-18: once authorization_details were used, scope-requested configurations are listed too', () => {
    const { body, credentialIdentifiers } = tokenResponse(
      input([
        { credential_configuration_id: PID, via: 'authorization_details' },
        { credential_configuration_id: DIPLOMA, via: 'scope' },
      ]),
    );
    assert.deepEqual(
      body.authorization_details?.map((d) => [d.credential_configuration_id, d.credential_identifiers]),
      [
        [PID, ['id-1']],
        [DIPLOMA, ['id-2']],
      ],
    );
    assert.equal(new Set(credentialIdentifiers.map((c) => c.credential_identifier)).size, 2);
  });
});
