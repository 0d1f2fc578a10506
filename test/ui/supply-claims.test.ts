// The Supply Claims form: field values typed by claim metadata, raw JSON mode, re-rendered errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClaims } from '../../src/checks/claims.ts';
import { formatOf } from '../../src/formats/index.ts';
import { findConfiguration } from '../../src/issuance/configurations.ts';
import { claimField, fieldName } from '../../src/ui/claim-fields.ts';
import { claimsFromForm } from '../../src/ui/supply-claims.ts';

const pid = findConfiguration('eu.europa.ec.eudi.pid_vc_sd_jwt_deferred')!;
const diploma = findConfiguration('org.example.university_diploma_sd_jwt_deferred')!;

describe('claimsFromForm', () => {
  it('builds nested objects, arrays, booleans and numbers from field names', () => {
    const { claims } = claimsFromForm(pid, {
      mode: 'fields',
      'claim.family_name': ' Lovelace ',
      'claim.given_name': 'Ada',
      'claim.birthdate': '1815-12-10',
      'claim.nationalities': 'GB, IT',
      'claim.address.locality': 'London',
      'claim.address.country': '',
      'claim.age_equal_or_over.18': 'true',
      'claim.issuing_authority': 'GB',
      'claim.issuing_country': 'GB',
    });
    assert.deepEqual(claims, {
      family_name: 'Lovelace',
      given_name: 'Ada',
      birthdate: '1815-12-10',
      nationalities: ['GB', 'IT'],
      address: { locality: 'London' },
      age_equal_or_over: { '18': true },
      issuing_authority: 'GB',
      issuing_country: 'GB',
    });
    assert.ok(checkClaims(pid, claims).ok);
  });

  it('keeps a non-numeric number as text so validation names the field', () => {
    const { claims } = claimsFromForm(diploma, { mode: 'fields', 'claim.ects_credits': 'many' });
    const checked = checkClaims(diploma, claims);
    assert.ok(!checked.ok && checked.problems.some((p) => p.path === 'ects_credits'));
  });

  it('reads raw JSON, and reports JSON that does not parse', () => {
    assert.deepEqual(claimsFromForm(pid, { mode: 'json', claims_json: '{"given_name":"Ada"}' }).claims, { given_name: 'Ada' });
    const broken = claimsFromForm(pid, { mode: 'json', claims_json: '{"given_name":' });
    assert.equal(broken.claims, undefined);
    assert.equal(broken.problems[0]!.path, '(json)');
  });
});

describe('Supply Claims fields for mso_mdoc', () => {
  const mdl = findConfiguration('org.iso.18013.5.1.mDL_deferred')!;
  const MDL = 'org.iso.18013.5.1';
  const inputs = formatOf(mdl).claimInputs(mdl);
  const name = (element: string) => fieldName([MDL, element]);
  const sampleName = (element: string) => name(element).replace(/^claim\./, 'sample.');

  it('names every [namespace, element] apart, though namespaces hold dots', () => {
    const names = inputs.map((input) => fieldName(input.path));
    assert.equal(new Set(names).size, names.length);
    assert.equal(name('family_name'), 'claim.org%2Eiso%2E18013%2E5%2E1.family_name');
    assert.notEqual(fieldName(['a.b', 'c']), fieldName(['a', 'b.c']));
  });

  it('reads the fields back at [namespace, element], typed by the element types', () => {
    const { claims, problems } = claimsFromForm(mdl, {
      mode: 'fields',
      [name('family_name')]: 'Lovelace',
      [name('height')]: '170',
      [name('age_over_18')]: 'true',
      [name('driving_privileges')]: '[{"vehicle_category_code": "B"}]',
      [sampleName('portrait')]: 'true',
      [name('signature_usual_mark')]: '',
    });
    assert.deepEqual(problems, []);
    const elements = (claims as Record<string, Record<string, unknown>>)[MDL]!;
    assert.equal(elements.family_name, 'Lovelace');
    assert.equal(elements.height, 170);
    assert.equal(elements.age_over_18, true);
    assert.equal(elements.age_over_21, false, 'an unticked checkbox is false');
    assert.deepEqual(elements.driving_privileges, [{ vehicle_category_code: 'B' }]);
    assert.equal(elements.portrait, (mdl.sample[MDL] as Record<string, unknown>).portrait, 'the sample portrait');
    assert.ok(!('signature_usual_mark' in elements), 'an empty optional field is left out');
  });

  it('a JSON element that does not parse is a problem at its claim path', () => {
    const { problems } = claimsFromForm(mdl, { mode: 'fields', [name('driving_privileges')]: '[{' });
    assert.deepEqual(
      problems.map((p) => p.claim_path),
      [[MDL, 'driving_privileges']],
    );
  });

  it('problems go to the field whose path starts theirs, nested ones with the rest of the path', () => {
    const claims = structuredClone(mdl.sample) as Record<string, Record<string, unknown>>;
    (claims[MDL]!.driving_privileges as Array<Record<string, unknown>>)[0]!.vehicle_category_code = undefined;
    claims[MDL]!.height = -1;
    const checked = checkClaims(mdl, claims);
    assert.ok(!checked.ok);
    const field = (element: string) =>
      claimField(inputs.find((input) => input.path[1] === element)!, { claims, sample: mdl.sample }, checked.problems);
    assert.match(field('driving_privileges').error!, /^0\.vehicle_category_code: is mandatory/);
    assert.match(field('height').error!, /unsigned integer/);
    assert.equal(field('family_name').error, undefined);
    assert.deepEqual(
      field('portrait').sample,
      { name: sampleName('portrait'), checked: true },
      'the sample image is ticked when it is the value',
    );
  });
});
