// mdocClaimsSchema against ISO/IEC 18013-5 §7.2, the PID Rulebook §3.1 and the AV spec §4.1: one
// row per rule, each changing one thing in a sample (OID4VCI 1.0 Appendix B.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ageVerificationMdoc,
  isoMdl,
  type MdocClaims,
  type MdocConfiguration,
  mdocClaimsSchema,
  mdocConfigurations,
  pidMdoc,
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
  {
    rule: 'ISO 18013-5 §7.2.1',
    name: 'birth_date not as YYYY-MM-DD',
    config: pidMdoc,
    change: (c) => void (c[PID]!.birth_date = '26.01.1984'),
    path: [PID, 'birth_date'],
    message: /^must be a date YYYY-MM-DD$/,
  },
  {
    rule: 'ISO 18013-5 §7.2.1',
    name: 'a full-date that is no calendar day',
    config: isoMdl,
    change: (c) => void (c[MDL]!.expiry_date = '2039-02-30'),
    path: [MDL, 'expiry_date'],
    message: /not a calendar date/,
  },
  {
    rule: 'ISO 18013-5 Table 5',
    name: 'a string for a bool',
    config: isoMdl,
    change: (c) => void (c[MDL]!.age_over_18 = 'true'),
    path: [MDL, 'age_over_18'],
    message: /must be true or false/,
  },
  {
    rule: 'ISO 18013-5 Table 5',
    name: 'a fraction for a uint',
    config: isoMdl,
    change: (c) => void (c[MDL]!.height = 168.5),
    path: [MDL, 'height'],
    message: /integer/,
  },
  {
    rule: 'ISO 18013-5 Table 5',
    name: 'a negative uint',
    config: isoMdl,
    change: (c) => void (c[MDL]!.sex = -1),
    path: [MDL, 'sex'],
    message: /unsigned/,
  },
  {
    rule: 'ISO 18013-5 Table 5',
    name: 'a tdate with fractions',
    config: isoMdl,
    change: (c) => void (c[MDL]!.portrait_capture_date = '2024-02-20T09:30:00.125Z'),
    path: [MDL, 'portrait_capture_date'],
    message: /YYYY-MM-DDThh:mm:ssZ/,
  },
  {
    rule: 'ISO 18013-5 Table 5 (M)',
    name: 'mandatory family_name missing',
    config: isoMdl,
    change: (c) => void delete c[MDL]!.family_name,
    path: [MDL, 'family_name'],
    message: /is mandatory in org\.iso\.18013\.5\.1\.mDL/,
  },
  {
    rule: 'PID Rulebook §2.2',
    name: 'mandatory place_of_birth missing',
    config: pidMdoc,
    change: (c) => void delete c[PID]!.place_of_birth,
    path: [PID, 'place_of_birth'],
    message: /is mandatory in eu\.europa\.ec\.eudi\.pid\.1/,
  },
  {
    rule: 'ISO 18013-5 Table 5 (M)',
    name: 'the namespace with mandatory elements missing',
    config: isoMdl,
    change: (c) => void delete c[MDL],
    path: [MDL],
    message: /is missing, and it holds mandatory data elements/,
  },
  {
    rule: 'ISO 18013-5 §7.2.2',
    name: 'portrait not base64',
    config: isoMdl,
    change: (c) => void (c[MDL]!.portrait = 'not base64!'),
    path: [MDL, 'portrait'],
    message: /must be base64/,
  },
  {
    rule: 'ISO 18013-5 §7.2.2',
    name: 'portrait bytes that are no JPEG',
    config: isoMdl,
    change: (c) => void (c[MDL]!.portrait = PNG_BASE64),
    path: [MDL, 'portrait'],
    message: /JPEG or JPEG 2000/,
  },
  {
    rule: 'ISO 18013-5 §7.2.4',
    name: 'a driving privilege without vehicle_category_code',
    config: isoMdl,
    change: (c) => void delete privileges(c)[0]!.vehicle_category_code,
    path: [MDL, 'driving_privileges', 0, 'vehicle_category_code'],
    message: /mandatory in every driving privilege/,
  },
  {
    rule: 'ISO 18013-5 §7.2.4',
    name: 'a driving privilege issue_date not as YYYY-MM-DD',
    config: isoMdl,
    change: (c) => void (privileges(c)[1]!.issue_date = '2002/09/17'),
    path: [MDL, 'driving_privileges', 1, 'issue_date'],
    message: /must be a date YYYY-MM-DD/,
  },
  {
    rule: 'ISO 18013-5 §7.2.4',
    name: 'a driving privilege member the CDDL does not define',
    config: isoMdl,
    change: (c) => void (privileges(c)[0]!.restrictions = 'none'),
    path: [MDL, 'driving_privileges', 0],
    message: /restrictions/,
  },
  {
    rule: 'ISO 18013-5 §7.2.4',
    name: 'no driving privileges',
    config: isoMdl,
    change: (c) => void (c[MDL]!.driving_privileges = []),
    path: [MDL, 'driving_privileges'],
    message: /at least one/,
  },
  {
    rule: 'PID Rulebook §3.1.3',
    name: 'nationality as a string, not an array',
    config: pidMdoc,
    change: (c) => void (c[PID]!.nationality = 'DE'),
    path: [PID, 'nationality'],
    message: /array of country codes/,
  },
  {
    rule: 'PID Rulebook §3.1.3',
    name: 'a nationality that is no alpha-2 code',
    config: pidMdoc,
    change: (c) => void (c[PID]!.nationality = ['DEU']),
    path: [PID, 'nationality', 0],
    message: /alpha-2/,
  },
  {
    rule: 'PID Rulebook §3.1.4',
    name: 'an empty place_of_birth',
    config: pidMdoc,
    change: (c) => void (c[PID]!.place_of_birth = {}),
    path: [PID, 'place_of_birth'],
    message: /country, region or locality/,
  },
  {
    rule: 'PID Rulebook §3.1.2',
    name: 'a tstr over 150 characters',
    config: pidMdoc,
    change: (c) => void (c[PID]!.given_name = 'E'.repeat(151)),
    path: [PID, 'given_name'],
    message: /at most 150/,
  },
  {
    rule: 'ISO 18013-5 §7.2.1',
    name: 'an element outside the configuration holding an object',
    config: isoMdl,
    change: (c) => void (c[MDL]!.nickname = { first: 'Eri' }),
    path: [MDL, 'nickname'],
    message: /string, number or boolean/,
  },
  {
    rule: 'AV spec §4.1.2',
    name: 'a data element the Proof of Age attestation does not list',
    config: ageVerificationMdoc,
    change: (c) => void (c[AV]!.birth_date = '1984-01-26'),
    path: [AV, 'birth_date'],
    message: /is not a data element of eu\.europa\.ec\.av\.1/,
  },
  {
    rule: 'AV spec §4.1.2',
    name: 'another namespace in the Proof of Age attestation',
    config: ageVerificationMdoc,
    change: (c) => void (c[MDL] = { age_over_18: true }),
    path: [MDL],
    message: /is not a namespace of eu\.europa\.ec\.av\.1/,
  },
  {
    rule: 'AV spec §4.1.2',
    name: 'age_over_18 missing',
    config: ageVerificationMdoc,
    change: (c) => void delete c[AV]!.age_over_18,
    path: [AV, 'age_over_18'],
    message: /is mandatory/,
  },
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
      assert.deepEqual(
        result.error!.issues.map((issue) => issue.path),
        [row.path],
        'exactly one problem, at the changed element',
      );
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
    const claims: MdocClaims = {
      ...structuredClone(pidMdoc.sample),
      'de.bund.pid.1': { academic_title: 'Dr.', pseudonym_allowed: false },
    };
    claims[PID]!.resident_house_number = '17';
    claims[PID]!.household_size = 3;
    assert.deepEqual(mdocClaimsSchema(pidMdoc).parse(claims), claims);
  });

  it('claims that are not an object of namespaces', () => {
    assert.match(mdocClaimsSchema(pidMdoc).safeParse([]).error!.issues[0]!.message, /object of namespaces/);
    assert.deepEqual(mdocClaimsSchema(pidMdoc).safeParse({ [PID]: 'Erika' }).error!.issues[0]!.path, [PID]);
  });
});
