// Every format module through the one CredentialFormat interface, table-driven: its metadata (MD-06,
// MD-07, FMT-JW-01, FMT-MD-01..03), its claims schema (problems at claim paths), its claim inputs,
// minting for a holder key, decoding that never throws, and the draft-13 requests it recognises.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { BaseConfiguration } from '../../src/formats/configuration.ts';
import type { CredentialFormat, IssuerKey } from '../../src/formats/format.ts';
import { type CredentialConfiguration, decodeCredential, type FormatId, formatOf } from '../../src/formats/index.ts';
import { x5cEntry } from '../../src/issuance/certificates.ts';
import { credentialConfigurations } from '../../src/issuance/configurations.ts';
import { documentSignerChain } from '../support/mdoc-fixture.ts';
import { verifyJwtVc, verifySdJwtVc } from '../support/verify-credential.ts';
import { verifyMdoc } from '../support/verify-mdoc.ts';

const PROOF_TYPES = { jwt: { proof_signing_alg_values_supported: ['ES256'] } };
const byFormat = (format: string) => credentialConfigurations.filter((c) => c.format === format && !c.deferred);

/** Per format: what its metadata must say beyond the common members, and where its claim paths start. */
const formats = [
  { id: 'dc+sd-jwt', binding: ['jwk'], algs: ['ES256'], typeMember: 'vct', pathPrefix: [] as string[] },
  {
    id: 'jwt_vc_json',
    binding: ['jwk', 'did:jwk', 'did:key'],
    algs: ['ES256'],
    typeMember: 'credential_definition',
    pathPrefix: ['credentialSubject'],
  },
  { id: 'mso_mdoc', binding: ['cose_key'], algs: [-7, -9], typeMember: 'doctype', pathPrefix: [] as string[] },
] as const;

describe('format modules: metadata', () => {
  for (const expected of formats) {
    for (const config of byFormat(expected.id)) {
      it(`${config.id} (${expected.id}): MD-06, MD-07${expected.id === 'jwt_vc_json' ? ', FMT-JW-01' : ''}`, () => {
        const format = formatOf(config);
        const metadata = format.metadata(config, PROOF_TYPES) as Record<string, any>;
        assert.equal(format.id, config.format);
        assert.equal(metadata.format, expected.id);
        assert.equal(metadata.scope, config.scope, 'H-07');
        assert.ok(metadata[expected.typeMember], `MD-07: ${expected.typeMember}`);
        assert.deepEqual(metadata.cryptographic_binding_methods_supported, [...expected.binding]);
        assert.deepEqual([...format.bindingMethods], [...expected.binding]);
        assert.deepEqual(metadata.credential_signing_alg_values_supported, [...expected.algs], 'FMT-MD-02: COSE ids for mdoc');
        assert.deepEqual(metadata.proof_types_supported, PROOF_TYPES, 'MD-06: the proof types given');
        const paths = metadata.credential_metadata.claims.map((claim: { path: string[] }) => claim.path);
        assert.deepEqual(
          paths,
          config.claims.map((claim) => [...expected.pathPrefix, ...claim.path]),
        );
        assert.deepEqual(JSON.parse(JSON.stringify(metadata)), metadata, 'plain JSON');
      });
    }
  }

  it('FMT-JW-01: every jwt_vc_json claim path starts with "credentialSubject" (Appendix A.1.1.2)', () => {
    for (const config of credentialConfigurations.filter((c) => c.format === 'jwt_vc_json')) {
      const { claims } = (formatOf(config).metadata(config, PROOF_TYPES) as Record<string, any>).credential_metadata;
      assert.ok(claims.length > 0);
      for (const claim of claims) assert.equal(claim.path[0], 'credentialSubject', JSON.stringify(claim.path));
    }
  });
});

interface ClaimsRow {
  rule: string;
  name: string;
  configurationId: string;
  change: (claims: Record<string, any>) => void;
  path: Array<string | number>;
}

const claimsRows: ClaimsRow[] = [
  {
    rule: 'MD-06 (mandatory)',
    name: 'SD-JWT VC: a mandatory claim missing',
    configurationId: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
    change: (c) => void delete c.family_name,
    path: ['family_name'],
  },
  {
    rule: 'MD-06',
    name: 'SD-JWT VC: a nested claim of the wrong type',
    configurationId: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
    change: (c) => void (c.address.locality = 5),
    path: ['address', 'locality'],
  },
  {
    rule: 'FMT-JW-01',
    name: 'jwt_vc_json: claims are the credentialSubject members',
    configurationId: 'eu.europa.ec.eudi.pid_jwt_vc',
    change: (c) => void (c.birthdate = '1984'),
    path: ['birthdate'],
  },
  {
    rule: 'MD-06 (mandatory)',
    name: 'mso_mdoc: a mandatory element missing, at [namespace, element]',
    configurationId: 'org.iso.18013.5.1.mDL',
    change: (c) => void delete c['org.iso.18013.5.1'].document_number,
    path: ['org.iso.18013.5.1', 'document_number'],
  },
  {
    rule: 'FMT-MD-01',
    name: 'mso_mdoc: an element of the wrong type',
    configurationId: 'eu.europa.ec.eudi.pid_mdoc',
    change: (c) => void (c['eu.europa.ec.eudi.pid.1'].sex = 'female'),
    path: ['eu.europa.ec.eudi.pid.1', 'sex'],
  },
];

describe('format modules: claims schemas', () => {
  for (const config of credentialConfigurations) {
    it(`${config.id}: the sample passes`, () =>
      assert.ok(formatOf(config).claimsSchema(config).safeParse(config.sample).success));
  }
  for (const row of claimsRows) {
    it(`${row.rule}: ${row.name}`, () => {
      const config = credentialConfigurations.find((c) => c.id === row.configurationId)!;
      const claims = structuredClone(config.sample) as Record<string, any>;
      row.change(claims);
      const result = formatOf(config).claimsSchema(config).safeParse(claims);
      assert.deepEqual(
        result.error?.issues.map((issue) => issue.path),
        [row.path],
      );
    });
  }
});

describe('format modules: claim inputs', () => {
  it('one input per claim definition, at its path, typed by the claim type', () => {
    for (const config of credentialConfigurations) {
      const inputs = formatOf(config).claimInputs(config);
      assert.deepEqual(
        inputs.map((input) => input.path),
        config.claims.map((claim) => claim.path),
        config.id,
      );
    }
    const mdl = credentialConfigurations.find((c) => c.id === 'org.iso.18013.5.1.mDL')!;
    const kind = (element: string) =>
      formatOf(mdl)
        .claimInputs(mdl)
        .find((input) => input.path[1] === element)!.kind;
    assert.deepEqual(['birth_date', 'height', 'age_over_18', 'portrait', 'driving_privileges', 'family_name'].map(kind), [
      'date',
      'integer',
      'checkbox',
      'image',
      'json',
      'text',
    ]);
  });
});

describe('format modules: minting for a holder key', () => {
  let key: IssuerKey;
  let caPem: string;
  let holderJwk: JWK;
  before(async () => {
    const chain = await documentSignerChain(Date.now());
    caPem = chain.caPem;
    const privateKey = (await importJWK(chain.leafPrivateJwk, 'ES256')) as CryptoKey;
    key = { kid: 'test', alg: 'ES256', privateKey, x5c: [x5cEntry(chain.leafPem)], leafPem: chain.leafPem };
    holderJwk = await exportJWK((await generateKeyPair('ES256')).publicKey);
  });

  /** Verifies independently; the thumbprint of the key the credential is bound to. */
  const boundKey: Record<FormatId, (credential: string, config: CredentialConfiguration) => Promise<string>> = {
    'dc+sd-jwt': async (credential) => (await verifySdJwtVc(credential, caPem)).holderJkt,
    jwt_vc_json: async (credential) => (await verifyJwtVc(credential, caPem)).holderJkt,
    mso_mdoc: async (credential, config) => {
      const { doctype } = config as { doctype: string };
      // FMT-MD-03: verifyMdoc fails unless the device key is holderJwk.
      await verifyMdoc(credential, { caPem, holderJwk, now: Date.now(), doctype });
      return calculateJwkThumbprint(holderJwk);
    },
  };

  for (const config of credentialConfigurations.filter((c) => !c.deferred)) {
    it(`${config.id}: mints for the holder key, verifies independently, and decodes`, async () => {
      const context = { issuer: 'https://issuer.example', key, holderJwk, now: Date.now() };
      const credential = await formatOf(config).mint(config, config.sample, context);
      assert.equal(await boundKey[config.format](credential, config), await calculateJwkThumbprint(holderJwk));
      const decoded = decodeCredential(config.format, credential);
      assert.equal(decoded.undecodable, undefined, JSON.stringify(decoded));
      assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded, 'plain JSON');
    });
  }
});

const garbage: unknown[] = [
  undefined,
  null,
  42,
  {},
  [],
  '',
  'garbage',
  'a.b.c',
  '~',
  'x~y~',
  'e30.e30~',
  Buffer.from('not cbor').toString('base64url'),
  '🙂',
];

describe('format modules: decoding never throws', () => {
  for (const { id } of formats) {
    it(`${id}: garbage comes back as { undecodable }, as plain JSON`, () => {
      for (const value of garbage) {
        const decoded = decodeCredential(id, value);
        assert.equal(typeof decoded.undecodable, 'string', `${id} on ${JSON.stringify(value)}: ${JSON.stringify(decoded)}`);
        assert.deepEqual(JSON.parse(JSON.stringify(decoded)), decoded);
      }
    });
  }
  it('dc+sd-jwt: a disclosure that is no JSON array is marked in place', () => {
    const decoded = decodeCredential('dc+sd-jwt', `eyJhbGciOiJub25lIn0.e30.~${Buffer.from('not json').toString('base64url')}~`);
    assert.deepEqual(decoded, { header: { alg: 'none' }, payload: {}, disclosures: [{ undecodable: 'bm90IGpzb24' }] });
  });
  it('an unknown format is named', () => assert.match(String(decodeCredential('ldp_vc', 'x').undecodable), /ldp_vc/));
});

describe('format modules: draft-13 requests (D13-C1)', () => {
  const rows: Array<{ request: Record<string, unknown>; ids: string[] }> = [
    {
      request: { format: 'vc+sd-jwt', vct: 'urn:eudi:pid:1' },
      ids: ['eu.europa.ec.eudi.pid_vc_sd_jwt', 'eu.europa.ec.eudi.pid_vc_sd_jwt_deferred'],
    },
    {
      request: {
        format: 'jwt_vc_json',
        credential_definition: { type: ['EuropeanPersonIdentificationData', 'VerifiableCredential'] },
      },
      ids: ['eu.europa.ec.eudi.pid_jwt_vc', 'eu.europa.ec.eudi.pid_jwt_vc_deferred'],
    },
    {
      request: { format: 'mso_mdoc', doctype: 'org.iso.18013.5.1.mDL' },
      ids: ['org.iso.18013.5.1.mDL', 'org.iso.18013.5.1.mDL_deferred'],
    },
    { request: { format: 'mso_mdoc', doctype: 'org.example.unknown' }, ids: [] },
    { request: { format: 'mso_mdoc', vct: 'urn:eudi:pid:1' }, ids: [] },
  ];
  for (const { request, ids } of rows) {
    it(`${JSON.stringify(request)} asks for ${ids.join(', ') || 'nothing offered'}`, () => {
      const asked = credentialConfigurations.filter((config) =>
        (formatOf(config) as CredentialFormat<BaseConfiguration>).requestedByDraft13(config, request),
      );
      assert.deepEqual(
        asked.map((config) => config.id),
        ids,
      );
    });
  }
});
