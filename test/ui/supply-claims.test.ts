// The Supply Claims form: field values typed by claim metadata, raw JSON mode, re-rendered errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkClaims } from '../../src/checks/claims.ts';
import { findConfiguration } from '../../src/issuance/configurations.ts';
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
