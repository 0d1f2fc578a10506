// checkOfferRequest (POST /credential_offers, the playground's own API) against spec-notes
// OFF-04, OFF-08 and DPOP-13. Every row changes exactly one thing in a valid request and
// asserts the exact list of problem paths; at the HTTP layer they become API.offer.invalid.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkOfferRequest } from '../../src/checks/offer-request.ts';
import { formatOf } from '../../src/formats/index.ts';
import { type CredentialConfiguration, credentialConfigurations, findConfiguration } from '../../src/issuance/configurations.ts';
import type { Json } from './jws-helpers.ts';

const PID = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
const DIPLOMA = 'org.example.university_diploma_sd_jwt';
const MDL = 'org.iso.18013.5.1.mDL';
const MDL_NAMESPACE = 'org.iso.18013.5.1';
const pid = findConfiguration(PID) as CredentialConfiguration;
const diploma = findConfiguration(DIPLOMA) as CredentialConfiguration;

interface Row {
  rule: string;
  name: string;
  /** Changes the baseline request in place (or returns a replacement body). */
  change?: (body: Json) => unknown;
  /** Expected problem paths (any order); [] means accepted. */
  problems: string[];
  todo?: string;
}

/** The valid baseline: one known configuration, everything else defaulted. */
const baseline = (): Json => ({ credential_configuration_ids: [PID] });

function body(row: Row): unknown {
  const request = baseline();
  const replaced = row.change?.(request);
  return replaced === undefined ? request : replaced;
}

const txCode = (tx_code: unknown) => (b: Json) => {
  b.grants = { pre_authorized_code: { tx_code } };
};
const pidClaims = (change: (claims: Json) => void) => (b: Json) => {
  const claims = structuredClone(pid.sample) as Json;
  change(claims);
  b.claims = { [PID]: claims };
};
const claimPath = (...path: string[]) => ['claims', PID, ...path].join('.');
const mdlClaims = (change: (elements: Json) => void) => (b: Json) => {
  const claims = structuredClone(findConfiguration(MDL)!.sample) as Record<string, Json>;
  change(claims[MDL_NAMESPACE]!);
  b.credential_configuration_ids = [MDL];
  b.claims = { [MDL]: claims };
};
const mdlPath = (element: string) => ['claims', MDL, MDL_NAMESPACE, element].join('.');

const rows: Row[] = [
  // accepted
  { rule: 'OFF-04', name: 'minimal valid request', problems: [] },
  {
    rule: 'OFF-04',
    name: 'several distinct configuration ids',
    change: (b) => {
      b.credential_configuration_ids = [PID, DIPLOMA];
    },
    problems: [],
  },
  { rule: 'OFF-08', name: 'tx_code {} is accepted', change: txCode({}), problems: [] },
  {
    rule: 'OFF-08',
    name: 'text tx_code with length and a 300-character description',
    change: txCode({ input_mode: 'text', length: 8, description: 'd'.repeat(300) }),
    problems: [],
  },
  { rule: 'OFF-04', name: 'complete sample claims for the configuration', change: pidClaims(() => {}), problems: [] },
  {
    rule: 'OFF-04',
    name: 'extra claims beyond the claim metadata are kept',
    change: pidClaims((c) => {
      c.nickname = 'Eri';
    }),
    problems: [],
  },
  {
    rule: 'DPOP-13',
    name: 'dpop_nonce with require_dpop',
    change: (b) => {
      b.dpop_nonce = true;
      b.require_dpop = true;
    },
    problems: [],
  },
  {
    rule: 'DPOP-13',
    name: 'require_dpop false alone',
    change: (b) => {
      b.require_dpop = false;
    },
    problems: [],
  },
  {
    rule: 'OFF-04',
    name: 'null body falls back to {} (and lacks ids)',
    change: () => null,
    problems: ['credential_configuration_ids'],
  },

  // OFF-04: credential_configuration_ids
  {
    rule: 'OFF-04',
    name: 'credential_configuration_ids missing',
    change: () => ({}),
    problems: ['credential_configuration_ids'],
  },
  {
    rule: 'OFF-04',
    name: 'credential_configuration_ids empty',
    change: (b) => {
      b.credential_configuration_ids = [];
    },
    problems: ['credential_configuration_ids'],
  },
  {
    rule: 'OFF-04',
    name: 'duplicate configuration ids',
    change: (b) => {
      b.credential_configuration_ids = [PID, PID];
    },
    problems: ['credential_configuration_ids'],
  },
  {
    rule: 'OFF-04',
    name: 'unknown configuration id',
    change: (b) => {
      b.credential_configuration_ids = [PID, 'org.example.nope'];
    },
    problems: ['credential_configuration_ids.1'],
  },
  {
    rule: 'OFF-04',
    name: 'unknown top-level member',
    change: (b) => {
      b.credentials = [PID];
    },
    problems: ['(body)'],
  },

  // OFF-08: tx_code
  {
    rule: 'OFF-08',
    name: 'description longer than 300 characters',
    change: txCode({ description: 'd'.repeat(301) }),
    problems: ['grants.pre_authorized_code.tx_code.description'],
  },
  {
    rule: 'OFF-08',
    name: 'input_mode not numeric or text',
    change: txCode({ input_mode: 'alphanumeric' }),
    problems: ['grants.pre_authorized_code.tx_code.input_mode'],
  },
  {
    rule: 'OFF-08',
    name: 'length not an integer',
    change: txCode({ length: 6.5 }),
    problems: ['grants.pre_authorized_code.tx_code.length'],
  },
  {
    rule: 'OFF-08',
    name: 'length too short for a code',
    change: txCode({ length: 3 }),
    problems: ['grants.pre_authorized_code.tx_code.length'],
  },
  {
    rule: 'OFF-08',
    name: 'unknown tx_code member',
    change: txCode({ value: '1234' }),
    problems: ['grants.pre_authorized_code.tx_code'],
  },
  {
    rule: 'OFF-05',
    name: 'unsupported grant',
    change: (b) => {
      b.grants = { implicit: {} };
    },
    problems: ['grants', 'grants'],
  },
  {
    rule: 'OFF-05',
    name: 'no grant at all',
    change: (b) => {
      b.grants = {};
    },
    problems: ['grants'],
  },
  {
    rule: 'OFF-05',
    name: 'authorization_code approval unknown',
    change: (b) => {
      b.grants = { authorization_code: { approval: 'sometimes' } };
    },
    problems: ['grants.authorization_code.approval'],
  },
  {
    rule: 'OFF-05',
    name: 'authorization_code alone is a valid offer',
    change: (b) => {
      b.grants = { authorization_code: true };
    },
    problems: [],
  },

  // claims against the configuration's claim metadata
  {
    rule: 'OFF-04',
    name: 'date claim in the wrong format',
    change: pidClaims((c) => {
      c.birthdate = '26.01.1984';
    }),
    problems: [claimPath('birthdate')],
  },
  {
    rule: 'OFF-04',
    name: 'mandatory claim missing',
    change: pidClaims((c) => {
      delete c.family_name;
    }),
    problems: [claimPath('family_name')],
  },
  {
    rule: 'OFF-04',
    name: 'nested claim of the wrong type',
    change: pidClaims((c) => {
      c.place_of_birth = { locality: 42 };
    }),
    problems: [claimPath('place_of_birth', 'locality')],
  },
  {
    rule: 'OFF-04',
    name: 'string[] claim empty',
    change: pidClaims((c) => {
      c.nationalities = [];
    }),
    problems: [claimPath('nationalities')],
  },
  // mso_mdoc claims: [namespace, element] (OID4VCI 1.0 Appendix C.2)
  { rule: 'OFF-04', name: 'mdoc sample claims', change: mdlClaims(() => {}), problems: [] },
  {
    rule: 'OFF-04',
    name: 'mdoc full-date not as YYYY-MM-DD',
    change: mdlClaims((c) => {
      c.birth_date = '26.01.1984';
    }),
    problems: [mdlPath('birth_date')],
  },
  {
    rule: 'OFF-04',
    name: 'mdoc mandatory element missing',
    change: mdlClaims((c) => {
      delete c.document_number;
    }),
    problems: [mdlPath('document_number')],
  },
  {
    rule: 'OFF-04',
    name: 'mdoc uint given as a string',
    change: mdlClaims((c) => {
      c.height = '168';
    }),
    problems: [mdlPath('height')],
  },
  {
    rule: 'OFF-04',
    name: 'claims for a configuration not in the offer',
    change: (b) => {
      b.claims = { [DIPLOMA]: structuredClone(diploma.sample) };
    },
    problems: [`claims.${DIPLOMA}`],
  },

  // DPOP-13: a server nonce needs DPoP
  {
    rule: 'DPOP-13',
    name: 'dpop_nonce without require_dpop',
    change: (b) => {
      b.dpop_nonce = true;
      b.require_dpop = false;
    },
    problems: ['dpop_nonce'],
  },

  // every problem at once
  {
    rule: 'OFF-04',
    name: 'every problem is listed at once',
    change: () => ({
      credential_configuration_ids: ['org.example.nope'],
      grants: { pre_authorized_code: { tx_code: { length: 3, description: 'd'.repeat(301) } } },
      require_dpop: false,
      dpop_nonce: true,
    }),
    problems: [
      'credential_configuration_ids.0',
      'grants.pre_authorized_code.tx_code.length',
      'grants.pre_authorized_code.tx_code.description',
      'dpop_nonce',
    ],
  },
  {
    rule: 'OFF-04',
    name: 'a type error does not hide the other problems',
    change: () => ({ credential_configuration_ids: ['org.example.nope'], require_dpop: 'yes' }),
    problems: ['credential_configuration_ids.0', 'require_dpop'],
  },
];

describe('checkOfferRequest', () => {
  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, row.todo ? { todo: row.todo } : {}, () => {
      const result = checkOfferRequest(body(row));
      const paths = result.ok ? [] : result.problems.map((p) => p.path);
      assert.deepEqual([...paths].sort(), [...row.problems].sort(), result.ok ? '' : JSON.stringify(result.problems));
      if (!result.ok) for (const p of result.problems) assert.ok(p.message.length > 0);
    });
  }

  it('OFF-05/OFF-08: defaults are applied', () => {
    const result = checkOfferRequest({ credential_configuration_ids: [PID] });
    assert.ok(result.ok);
    if (!result.ok) return;
    assert.deepEqual(result.value, {
      credential_configuration_ids: [PID],
      grants: { pre_authorized_code: {} },
      claims: {},
      profile: 'oid4vci-1.0',
      overrides: [],
      algs: undefined,
      require_dpop: true,
      dpop_nonce: false,
      require_key_attestation: false,
      require_wallet_attestation: false,
      strict: false,
      require_encryption: false,
      offer_delivery: 'by_reference',
      offer_scheme: 'openid-credential-offer',
      trust_anchors: [],
      refresh_tokens: true,
      require_attestation_challenge: false,
    });
  });

  it('OFF-05: grants.authorization_code true defaults to tester approval with issuer_state', () => {
    const result = checkOfferRequest({ credential_configuration_ids: [PID], grants: { authorization_code: true } });
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.value.grants, { authorization_code: { approval: 'tester', issuer_state: true } });
  });

  it('OFF-08: tx_code {} defaults to numeric, length 6 (a code is still required)', () => {
    const result = checkOfferRequest({ credential_configuration_ids: [PID], grants: { pre_authorized_code: { tx_code: {} } } });
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.value.grants.pre_authorized_code, { tx_code: { input_mode: 'numeric', length: 6 } });
  });

  it('OFF-08: a pre-authorized grant without tx_code stays without one', () => {
    const result = checkOfferRequest({ credential_configuration_ids: [PID], grants: { pre_authorized_code: {} } });
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.value.grants.pre_authorized_code, {});
  });
});

describe('claims schemas of the formats', () => {
  it("accept every configuration's own sample", () => {
    for (const config of credentialConfigurations) {
      assert.ok(formatOf(config).claimsSchema(config).safeParse(config.sample).success, config.id);
    }
  });

  it('problems with mdoc claims carry the claim path, so dotted namespaces stay apart', () => {
    const result = checkOfferRequest(
      body({
        rule: '',
        name: '',
        problems: [],
        change: mdlClaims((c) => {
          c.birth_date = 'x';
        }),
      }),
    );
    assert.ok(!result.ok);
    assert.deepEqual(
      result.problems.map((p) => p.claim_path),
      [[MDL_NAMESPACE, 'birth_date']],
    );
  });

  it('rejects a number claim given as a string', () => {
    const result = formatOf(diploma)
      .claimsSchema(diploma)
      .safeParse({ ...diploma.sample, ects_credits: '180' });
    assert.equal(result.success, false);
    if (!result.success)
      assert.deepEqual(
        result.error.issues.map((i) => i.path.join('.')),
        ['ects_credits'],
      );
  });
});
