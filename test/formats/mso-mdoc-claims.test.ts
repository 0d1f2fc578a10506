// mdocClaimsSchema (ISO/IEC 18013-5 §7.2, PID Rulebook §3.1, AV spec §4.1) and
// mdocConfigurationMetadata (MD-06, MD-07, FMT-MD-01..03; OID4VCI 1.0 §12.2.4, Appendix A.2.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ageVerificationMdoc, deferredMdocTwin, isoMdl, mdocClaimsSchema, mdocConfigurationMetadata, mdocConfigurations, pidMdoc,
  type MdocClaims, type MdocConfiguration,
} from '../../src/formats/mso-mdoc/index.ts';

const PID = 'eu.europa.ec.eudi.pid.1';
const MDL = 'org.iso.18013.5.1';
const AV = 'eu.europa.ec.av.1';
const PNG_BASE64 = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');

interface Row {
  rule: string;
  name: string;
  config: MdocConfiguration;
  /** Changes one thing in a copy of the configuration's sample. */
  change: (claims: MdocClaims) => void;
  path: (string | number)[];
  message: RegExp;
}

const privileges = (claims: MdocClaims) => claims[MDL]!.driving_privileges as Record<string, unknown>[];

const rows: Row[] = [
  { rule: 'ISO 18013-5 §7.2.1', name: 'birth_date not as YYYY-MM-DD', config: pidMdoc, change: (c) => void (c[PID]!.birth_date = '26.01.1984'), path: [PID, 'birth_date'], message: /^must be a date YYYY-MM-DD$/ },
  { rule: 'ISO 18013-5 §7.2.1', name: 'a full-date that is no calendar day', config: isoMdl, change: (c) => void (c[MDL]!.expiry_date = '2039-02-30'), path: [MDL, 'expiry_date'], message: /not a calendar date/ },
  { rule: 'ISO 18013-5 Table 5', name: 'a string for a bool', config: isoMdl, change: (c) => void (c[MDL]!.age_over_18 = 'true'), path: [MDL, 'age_over_18'], message: /must be true or false/ },
  { rule: 'ISO 18013-5 Table 5', name: 'a fraction for a uint', config: isoMdl, change: (c) => void (c[MDL]!.height = 168.5), path: [MDL, 'height'], message: /integer/ },
  { rule: 'ISO 18013-5 Table 5', name: 'a negative uint', config: isoMdl, change: (c) => void (c[MDL]!.sex = -1), path: [MDL, 'sex'], message: /unsigned/ },
  { rule: 'ISO 18013-5 Table 5', name: 'a tdate with fractions', config: isoMdl, change: (c) => void (c[MDL]!.portrait_capture_date = '2024-02-20T09:30:00.125Z'), path: [MDL, 'portrait_capture_date'], message: /YYYY-MM-DDThh:mm:ssZ/ },
  { rule: 'ISO 18013-5 Table 5 (M)', name: 'mandatory family_name missing', config: isoMdl, change: (c) => void delete c[MDL]!.family_name, path: [MDL, 'family_name'], message: /is mandatory in org\.iso\.18013\.5\.1\.mDL/ },
  { rule: 'PID Rulebook §2.2', name: 'mandatory place_of_birth missing', config: pidMdoc, change: (c) => void delete c[PID]!.place_of_birth, path: [PID, 'place_of_birth'], message: /is mandatory in eu\.europa\.ec\.eudi\.pid\.1/ },
  { rule: 'ISO 18013-5 Table 5 (M)', name: 'the namespace with mandatory elements missing', config: isoMdl, change: (c) => void delete c[MDL], path: [MDL], message: /is missing, and it holds mandatory data elements/ },
  { rule: 'ISO 18013-5 §7.2.2', name: 'portrait not base64', config: isoMdl, change: (c) => void (c[MDL]!.portrait = 'not base64!'), path: [MDL, 'portrait'], message: /must be base64/ },
  { rule: 'ISO 18013-5 §7.2.2', name: 'portrait bytes that are no JPEG', config: isoMdl, change: (c) => void (c[MDL]!.portrait = PNG_BASE64), path: [MDL, 'portrait'], message: /JPEG or JPEG 2000/ },
  { rule: 'ISO 18013-5 §7.2.4', name: 'a driving privilege without vehicle_category_code', config: isoMdl, change: (c) => void delete privileges(c)[0]!.vehicle_category_code, path: [MDL, 'driving_privileges', 0, 'vehicle_category_code'], message: /mandatory in every driving privilege/ },
  { rule: 'ISO 18013-5 §7.2.4', name: 'a driving privilege issue_date not as YYYY-MM-DD', config: isoMdl, change: (c) => void (privileges(c)[1]!.issue_date = '2002/09/17'), path: [MDL, 'driving_privileges', 1, 'issue_date'], message: /must be a date YYYY-MM-DD/ },
  { rule: 'ISO 18013-5 §7.2.4', name: 'a driving privilege member the CDDL does not define', config: isoMdl, change: (c) => void (privileges(c)[0]!.restrictions = 'none'), path: [MDL, 'driving_privileges', 0], message: /restrictions/ },
  { rule: 'ISO 18013-5 §7.2.4', name: 'no driving privileges', config: isoMdl, change: (c) => void (c[MDL]!.driving_privileges = []), path: [MDL, 'driving_privileges'], message: /at least one/ },
  { rule: 'PID Rulebook §3.1.3', name: 'nationality as a string, not an array', config: pidMdoc, change: (c) => void (c[PID]!.nationality = 'DE'), path: [PID, 'nationality'], message: /array of country codes/ },
  { rule: 'PID Rulebook §3.1.3', name: 'a nationality that is no alpha-2 code', config: pidMdoc, change: (c) => void (c[PID]!.nationality = ['DEU']), path: [PID, 'nationality', 0], message: /alpha-2/ },
  { rule: 'PID Rulebook §3.1.4', name: 'an empty place_of_birth', config: pidMdoc, change: (c) => void (c[PID]!.place_of_birth = {}), path: [PID, 'place_of_birth'], message: /country, region or locality/ },
  { rule: 'PID Rulebook §3.1.2', name: 'a tstr over 150 characters', config: pidMdoc, change: (c) => void (c[PID]!.given_name = 'E'.repeat(151)), path: [PID, 'given_name'], message: /at most 150/ },
  { rule: 'ISO 18013-5 §7.2.1', name: 'an element outside the configuration holding an object', config: isoMdl, change: (c) => void (c[MDL]!.nickname = { first: 'Eri' }), path: [MDL, 'nickname'], message: /string, number or boolean/ },
  { rule: 'AV spec §4.1.2', name: 'a data element the Proof of Age attestation does not list', config: ageVerificationMdoc, change: (c) => void (c[AV]!.birth_date = '1984-01-26'), path: [AV, 'birth_date'], message: /is not a data element of eu\.europa\.ec\.av\.1/ },
  { rule: 'AV spec §4.1.2', name: 'another namespace in the Proof of Age attestation', config: ageVerificationMdoc, change: (c) => void (c[MDL] = { age_over_18: true }), path: [MDL], message: /is not a namespace of eu\.europa\.ec\.av\.1/ },
  { rule: 'AV spec §4.1.2', name: 'age_over_18 missing', config: ageVerificationMdoc, change: (c) => void delete c[AV]!.age_over_18, path: [AV, 'age_over_18'], message: /is mandatory/ },
];

describe('mdocClaimsSchema', () => {
  for (const config of mdocConfigurations) {
    it(`${config.id}: the sample passes unchanged`, () => {
      assert.deepEqual(mdocClaimsSchema(config).parse(config.sample), config.sample);
    });
  }

  for (const row of rows) {
    it(`${row.rule}: ${row.name}`, () => {
      const claims = structuredClone(row.config.sample);
      row.change(claims);
      const result = mdocClaimsSchema(row.config).safeParse(claims);
      assert.equal(result.success, false);
      assert.deepEqual(result.error!.issues.map((issue) => issue.path), [row.path], 'exactly one problem, at the changed element');
      assert.match(result.error!.issues[0]!.message, row.message);
    });
  }

  it('a problem reads as namespace.element: message', () => {
    const claims = structuredClone(isoMdl.sample);
    claims[MDL]!.birth_date = '1984-1-26';
    const [issue] = mdocClaimsSchema(isoMdl).safeParse(claims).error!.issues;
    assert.equal(`${issue!.path.join('.')}: ${issue!.message}`, 'org.iso.18013.5.1.birth_date: must be a date YYYY-MM-DD');
  });

  it('elements and namespaces outside the configuration are kept as strings, numbers and booleans', () => {
    const claims: MdocClaims = { ...structuredClone(pidMdoc.sample), 'de.bund.pid.1': { academic_title: 'Dr.', pseudonym_allowed: false } };
    claims[PID]!.resident_house_number = '17';
    claims[PID]!.household_size = 3;
    assert.deepEqual(mdocClaimsSchema(pidMdoc).parse(claims), claims);
  });

  it('claims that are not an object of namespaces', () => {
    assert.match(mdocClaimsSchema(pidMdoc).safeParse([]).error!.issues[0]!.message, /object of namespaces/);
    assert.deepEqual(mdocClaimsSchema(pidMdoc).safeParse({ [PID]: 'Erika' }).error!.issues[0]!.path, [PID]);
  });
});

describe('mdocConfigurationMetadata', () => {
  const proofTypes = { jwt: { proof_signing_alg_values_supported: ['ES256', 'ES384', 'EdDSA'] } };

  for (const config of mdocConfigurations) {
    it(`${config.id}: MD-06, MD-07, FMT-MD-01..03`, () => {
      const metadata = mdocConfigurationMetadata(config, proofTypes) as Record<string, any>;
      assert.equal(metadata.format, 'mso_mdoc');
      assert.equal(metadata.doctype, config.doctype, 'MD-07 / FMT-MD-01: doctype');
      assert.ok(typeof metadata.scope === 'string' && metadata.scope.length > 0, 'H-07: a scope');
      assert.deepEqual(metadata.cryptographic_binding_methods_supported, ['cose_key'], 'FMT-MD-03');
      assert.deepEqual(metadata.credential_signing_alg_values_supported, [-7, -9], 'FMT-MD-02: COSE ids');
      assert.ok(metadata.credential_signing_alg_values_supported.every(Number.isInteger));
      assert.deepEqual(metadata.proof_types_supported, proofTypes, 'MD-06: proof types with the binding methods');
      assert.ok(!('vct' in metadata) && !('credential_definition' in metadata));
      const [display] = metadata.credential_metadata.display;
      assert.deepEqual(display, { name: config.name, locale: 'en-US', description: config.description, background_color: config.background_color, text_color: config.text_color });
      for (const [i, claim] of metadata.credential_metadata.claims.entries()) {
        const definition = config.claims[i]!;
        assert.equal(claim.path.length, 2, 'Appendix C.2: [namespace, element]');
        assert.ok(claim.path.every((part: unknown) => typeof part === 'string'));
        assert.deepEqual(claim.path, [...definition.path]);
        assert.equal(claim.mandatory, definition.mandatory);
        assert.deepEqual(claim.display, [{ name: definition.label, locale: 'en-US' }]);
      }
      assert.deepEqual(JSON.parse(JSON.stringify(metadata)), metadata, 'plain JSON');
    });
  }

  it('the deferred twin has its own id and scope and the same claims', () => {
    const twin = deferredMdocTwin(isoMdl);
    assert.equal(twin.id, 'org.iso.18013.5.1.mDL_deferred');
    assert.equal(twin.scope, 'org.iso.18013.5.1.mDL_deferred');
    assert.equal(twin.deferred, true);
    assert.equal(twin.doctype, isoMdl.doctype);
    assert.deepEqual(twin.claims, isoMdl.claims);
  });

  it('every configuration has a distinct id and scope', () => {
    const ids = mdocConfigurations.flatMap((config) => [config.id, deferredMdocTwin(config).id]);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(mdocConfigurations.every((config) => config.scope && config.format === 'mso_mdoc'));
  });
});
