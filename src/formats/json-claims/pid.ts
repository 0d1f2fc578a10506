import type { JsonClaimDefinition } from './claims.ts';

// The EUDI PID in the JSON encoding of the PID Rulebook (SD-JWT VC claim names), shared by the
// dc+sd-jwt and jwt_vc_json configurations.

export const pidJsonClaims: JsonClaimDefinition[] = [
  { path: ['family_name'], type: 'string', mandatory: true, label: 'Family name' },
  { path: ['given_name'], type: 'string', mandatory: true, label: 'Given name' },
  { path: ['birthdate'], type: 'date', mandatory: true, label: 'Date of birth' },
  { path: ['place_of_birth', 'locality'], type: 'string', label: 'Place of birth' },
  { path: ['nationalities'], type: 'string[]', mandatory: true, label: 'Nationalities' },
  { path: ['address', 'street_address'], type: 'string', label: 'Street address' },
  { path: ['address', 'locality'], type: 'string', label: 'City' },
  { path: ['address', 'postal_code'], type: 'string', label: 'Postal code' },
  { path: ['address', 'country'], type: 'string', label: 'Country' },
  { path: ['age_equal_or_over', '18'], type: 'boolean', label: 'Age 18 or over' },
  { path: ['issuing_authority'], type: 'string', mandatory: true, label: 'Issuing authority' },
  { path: ['issuing_country'], type: 'string', mandatory: true, label: 'Issuing country' },
];

export const pidJsonSample = {
  family_name: 'Mustermann',
  given_name: 'Erika',
  birthdate: '1984-01-26',
  place_of_birth: { locality: 'Berlin' },
  nationalities: ['DE'],
  address: { street_address: 'Heidestraße 17', locality: 'Köln', postal_code: '51147', country: 'DE' },
  age_equal_or_over: { '18': true },
  issuing_authority: 'DE',
  issuing_country: 'DE',
};
