// checkCredentialRequest against spec-notes CRED-10..17 and the draft-13 shapes D13-C1, D13-C2
// (OID4VCI 1.0 Section 8.2). Every row changes exactly one thing in a valid 1.0 request.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCredentialRequest } from '../../src/checks/credential-request.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { credentialConfigurations } from '../../src/issuance/configurations.ts';
import { assertFinding, type Json, newKey, signJws } from './jws-helpers.ts';

const PID = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
const BATCH_SIZE = 5;

// A real key proof; this check only looks at the container, not at the proof itself.
const key = await newKey('ES256');
const PROOF = await signJws(
  { typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk: key.publicJwk },
  { aud: 'https://issuer.example', iat: Math.floor(Date.now() / 1000), nonce: 'c-nonce' },
  key.privateKey,
);

interface Row {
  rule: string;
  name: string;
  /** Expected finding id; null means accepted. */
  id: DiagnosticId | null;
  /** Changes the baseline request in place (or returns a replacement body). */
  change?: (body: Json) => unknown;
  batchSize?: number;
  todo?: string;
}

/** The valid baseline: {credential_configuration_id, proofs: {jwt: [proof]}}. */
const baseline = (): Json => ({ credential_configuration_id: PID, proofs: { jwt: [PROOF] } });

function body(row: Row): unknown {
  const request = baseline();
  if (!row.change) return request;
  const replaced = row.change(request);
  return replaced === undefined ? request : replaced;
}

const proofs = (value: unknown) => (b: Json) => {
  b.proofs = value;
};
const d13Proof = { proof_type: 'jwt', jwt: PROOF };

const rows: Row[] = [
  // accepted
  { rule: 'CRED-12', name: 'valid 1.0 request', id: null },
  ...credentialConfigurations.map(
    (c): Row => ({
      rule: 'CRED-12',
      name: `configuration ${c.id} is accepted`,
      id: null,
      change: (b) => {
        b.credential_configuration_id = c.id;
      },
    }),
  ),
  { rule: 'CRED-15', name: 'exactly batch_size proofs', id: null, change: proofs({ jwt: Array(BATCH_SIZE).fill(PROOF) }) },
  {
    rule: 'CRED-17',
    name: 'unknown extra members are ignored',
    id: null,
    change: (b) => {
      b.random_member = { x: 1 };
      b.another = 'y';
    },
  },
  {
    rule: 'CRED-17',
    name: 'a leftover format beside credential_configuration_id is ignored',
    id: null,
    change: (b) => {
      b.format = 'dc+sd-jwt';
    },
  },

  // body
  { rule: 'CRED-01', name: 'body is null', id: 'CRED-01.malformed', change: () => null },
  { rule: 'CRED-01', name: 'body is an array', id: 'CRED-01.malformed', change: (b) => [b] },
  { rule: 'CRED-01', name: 'body is a string', id: 'CRED-01.malformed', change: (b) => JSON.stringify(b) },

  // draft-13 shapes
  {
    rule: 'D13-C1',
    name: 'draft-13 format + vct (vc+sd-jwt) with proof',
    id: 'D13-C1',
    change: () => ({ format: 'vc+sd-jwt', vct: 'urn:eudi:pid:1', proof: d13Proof }),
  },
  {
    rule: 'D13-C1',
    name: 'draft-13 format + credential_definition (jwt_vc_json)',
    id: 'D13-C1',
    change: () => ({
      format: 'jwt_vc_json',
      credential_definition: { type: ['VerifiableCredential', 'EuropeanPersonIdentificationData'] },
      proof: d13Proof,
    }),
  },
  {
    rule: 'D13-C1',
    name: 'draft-13 format mso_mdoc + doctype',
    id: 'D13-C1.mso_mdoc',
    change: () => ({ format: 'mso_mdoc', doctype: 'org.iso.18013.5.1.mDL', proof: d13Proof }),
  },
  {
    rule: 'D13-C2',
    name: 'draft-13 single proof object instead of proofs',
    id: 'D13-C2',
    change: (b) => {
      delete b.proofs;
      b.proof = d13Proof;
    },
  },
  {
    // The "both present" error belongs to drafts 14/15; in 1.0 proof is an unknown member and is ignored (CRED-17).
    rule: 'CRED-17',
    name: 'proof beside proofs is ignored as an unknown member',
    id: null,
    change: (b) => {
      b.proof = d13Proof;
    },
  },

  // CRED-10 / CRED-11: exactly one identifier, and no credential_identifier without authorization_details
  {
    rule: 'CRED-10',
    name: 'neither credential_configuration_id nor credential_identifier',
    id: 'CRED-10.none',
    change: (b) => {
      delete b.credential_configuration_id;
    },
  },
  {
    rule: 'CRED-10',
    name: 'both credential_configuration_id and credential_identifier',
    id: 'CRED-10.both',
    change: (b) => {
      b.credential_identifier = 'pid-1';
    },
  },
  {
    rule: 'CRED-10',
    name: 'credential_configuration_id is not a string',
    id: 'CRED-10.type',
    change: (b) => {
      b.credential_configuration_id = [PID];
    },
  },
  {
    rule: 'CRED-11',
    name: 'credential_identifier (no authorization_details were issued)',
    id: 'CRED-11',
    change: (b) => {
      delete b.credential_configuration_id;
      b.credential_identifier = 'pid-1';
    },
  },

  // CRED-12: known configuration
  {
    rule: 'CRED-12',
    name: 'unknown credential_configuration_id',
    id: 'CRED-12',
    change: (b) => {
      b.credential_configuration_id = 'org.example.unknown';
    },
  },
  {
    rule: 'CRED-12',
    name: 'configuration id differs in case',
    id: 'CRED-12',
    change: (b) => {
      b.credential_configuration_id = PID.toUpperCase();
    },
  },

  // CRED-13 / CRED-14: proofs container
  {
    rule: 'CRED-13',
    name: 'proofs missing',
    id: 'CRED-13',
    change: (b) => {
      delete b.proofs;
    },
  },
  { rule: 'CRED-14', name: 'proofs is an array', id: 'CRED-14.shape', change: proofs([PROOF]) },
  { rule: 'CRED-14', name: 'proofs is an empty object', id: 'CRED-14.shape', change: proofs({}) },
  { rule: 'CRED-14', name: 'two proof types', id: 'CRED-14.shape', change: proofs({ jwt: [PROOF], attestation: [PROOF] }) },
  { rule: 'CRED-14', name: 'empty jwt array', id: 'CRED-14.shape', change: proofs({ jwt: [] }) },
  { rule: 'CRED-14', name: 'jwt is a single string, not an array', id: 'CRED-14.shape', change: proofs({ jwt: PROOF }) },
  { rule: 'CRED-14', name: 'unsupported proof type di_vp', id: 'CRED-14.type', change: proofs({ di_vp: [{ proof: {} }] }) },
  { rule: 'CRED-14', name: 'unsupported proof type attestation', id: 'CRED-14.type', change: proofs({ attestation: [PROOF] }) },
  { rule: 'CRED-14', name: 'draft-13 proof type ldp_vp', id: 'CRED-14.type', change: proofs({ ldp_vp: [{}] }) },

  // CRED-15: batch size
  {
    rule: 'CRED-15',
    name: 'more proofs than batch_size',
    id: 'CRED-15',
    change: proofs({ jwt: Array(BATCH_SIZE + 1).fill(PROOF) }),
  },
  {
    rule: 'CRED-15',
    name: 'two proofs when batch is not advertised (batch_size 1)',
    id: 'CRED-15',
    batchSize: 1,
    change: proofs({ jwt: [PROOF, PROOF] }),
  },
];

describe('checkCredentialRequest', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, row.todo ? { todo: row.todo } : {}, () => {
      assertFinding(checkCredentialRequest(body(row), row.batchSize ?? BATCH_SIZE), row.id, row.rule);
    });
  }

  it('D13-C1: the detail names the 1.0 credential_configuration_id of what was asked for, or that none matches', () => {
    const detail = (body: Json) => {
      const result = checkCredentialRequest(body, BATCH_SIZE);
      return result.ok ? '' : String(result.failure.detail);
    };
    assert.match(
      detail({ format: 'mso_mdoc', doctype: 'eu.europa.ec.eudi.pid.1' }),
      /doctype "eu\.europa\.ec\.eudi\.pid\.1".*credential_configuration_id "eu\.europa\.ec\.eudi\.pid_mdoc" or "eu\.europa\.ec\.eudi\.pid_mdoc_deferred"/,
    );
    assert.match(detail({ format: 'mso_mdoc', doctype: 'org.example.other' }), /no configuration of this issuer matches/);
    assert.match(detail({ format: 'vc+sd-jwt', vct: 'urn:eudi:pid:1' }), /"eu\.europa\.ec\.eudi\.pid_vc_sd_jwt"/);
  });

  describe('CRED-11 with credential_identifiers from the token response (OID4VCI 1.0 Section 8.2)', () => {
    const identifiers = [{ credential_identifier: 'pid-1', credential_configuration_id: PID }];
    const table: Array<{ name: string; body: Json; id: DiagnosticId | null }> = [
      {
        name: 'a known identifier names its configuration',
        body: { credential_identifier: 'pid-1', proofs: { jwt: [PROOF] } },
        id: null,
      },
      {
        name: 'an identifier not issued with this token',
        body: { credential_identifier: 'pid-2', proofs: { jwt: [PROOF] } },
        id: 'CRED-11.unknown',
      },
      {
        name: 'credential_configuration_id where identifiers were issued',
        body: { credential_configuration_id: PID, proofs: { jwt: [PROOF] } },
        id: 'CRED-11.required',
      },
      {
        name: 'an identifier that is not a string',
        body: { credential_identifier: 7, proofs: { jwt: [PROOF] } },
        id: 'CRED-10.type',
      },
    ];
    for (const row of table) {
      it(`CRED-11: ${row.name}`, () => {
        const result = checkCredentialRequest(row.body, BATCH_SIZE, ['jwt'], identifiers);
        if (row.id === null) {
          assert.ok(result.ok, JSON.stringify(result.ok ? null : result.failure));
          if (result.ok) assert.equal(result.value.configuration.id, PID);
          assert.ok(result.findings.some((f) => f.rule === 'CRED-11' && f.outcome === 'pass'));
        } else {
          assertFinding(result, row.id, row.id.split('.')[0]!);
        }
      });
    }
  });

  it('CRED-16: returns the configuration and every proof, in order, for the proof checks', () => {
    const result = checkCredentialRequest({ credential_configuration_id: PID, proofs: { jwt: [PROOF, 'second'] } }, BATCH_SIZE);
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.equal(result.value.configuration.id, PID);
    assert.equal(result.value.proofType, 'jwt');
    assert.deepEqual(result.value.proofValues, [PROOF, 'second']);
  });
});
