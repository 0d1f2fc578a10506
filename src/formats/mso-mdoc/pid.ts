import type { MdocConfiguration } from './configuration.ts';
import { SAMPLE_PORTRAIT_JPEG_BASE64 } from './sample-portrait.ts';

// EUDI PID Rulebook (ARF Annex 3.01) v1.7, chapter 3: doctype and namespace eu.europa.ec.eudi.pid.1,
// attribute identifiers and encodings from the table in §3.1.2, presence from §2.2 to §2.6. Since
// v1.1 the age attributes (age_over_18, age_in_years, ...) are no longer PID attributes: they live
// in the age verification attestation (age-verification.ts).
const PID = 'eu.europa.ec.eudi.pid.1';

export const pidMdoc: MdocConfiguration = {
  id: 'eu.europa.ec.eudi.pid_mdoc',
  format: 'mso_mdoc',
  doctype: PID,
  scope: 'eu.europa.ec.eudi.pid_mdoc',
  name: 'EU Person Identification Data (mdoc)',
  description: 'The EUDI Wallet PID as an ISO/IEC 18013-5 mdoc, per the PID Rulebook.',
  background_color: '#12107c',
  text_color: '#ffffff',
  claims: [
    { path: [PID, 'family_name'], type: 'tstr', mandatory: true, label: 'Family name' },
    { path: [PID, 'given_name'], type: 'tstr', mandatory: true, label: 'Given name' },
    { path: [PID, 'birth_date'], type: 'full-date', mandatory: true, label: 'Date of birth' },
    { path: [PID, 'place_of_birth'], type: 'place_of_birth', mandatory: true, label: 'Place of birth' },
    { path: [PID, 'nationality'], type: 'nationalities', mandatory: true, label: 'Nationality' },
    { path: [PID, 'resident_address'], type: 'tstr', label: 'Resident address' },
    { path: [PID, 'resident_country'], type: 'tstr', label: 'Resident country' },
    { path: [PID, 'resident_state'], type: 'tstr', label: 'Resident state' },
    { path: [PID, 'resident_city'], type: 'tstr', label: 'Resident city' },
    { path: [PID, 'resident_postal_code'], type: 'tstr', label: 'Resident postal code' },
    { path: [PID, 'resident_street'], type: 'tstr', label: 'Resident street' },
    { path: [PID, 'personal_administrative_number'], type: 'tstr', label: 'Personal administrative number' },
    // Becomes mandatory 24 months after the amended CIR 2024/2977 enters into force (Rulebook §2.2).
    { path: [PID, 'portrait'], type: 'image', label: 'Portrait' },
    { path: [PID, 'family_name_birth'], type: 'tstr', label: 'Family name at birth' },
    { path: [PID, 'given_name_birth'], type: 'tstr', label: 'Given name at birth' },
    { path: [PID, 'sex'], type: 'uint', label: 'Sex' },
    { path: [PID, 'email_address'], type: 'tstr', label: 'Email address' },
    { path: [PID, 'mobile_phone_number'], type: 'tstr', label: 'Mobile phone number' },
    { path: [PID, 'expiry_date'], type: 'full-date', label: 'Expiry date' },
    { path: [PID, 'issuing_authority'], type: 'tstr', mandatory: true, label: 'Issuing authority' },
    { path: [PID, 'issuing_country'], type: 'tstr', mandatory: true, label: 'Issuing country' },
    { path: [PID, 'document_number'], type: 'tstr', label: 'Document number' },
    { path: [PID, 'issuing_jurisdiction'], type: 'tstr', label: 'Issuing jurisdiction' },
    { path: [PID, 'issuance_date'], type: 'full-date', label: 'Issuance date' },
    { path: [PID, 'trust_anchor'], type: 'tstr', label: 'Trust anchor' },
    { path: [PID, 'attestation_legal_category'], type: 'tstr', label: 'Attestation legal category' },
  ],
  sample: {
    [PID]: {
      family_name: 'Mustermann',
      given_name: 'Erika',
      birth_date: '1984-01-26',
      place_of_birth: { country: 'DE', locality: 'Berlin' },
      nationality: ['DE'],
      resident_address: 'Heidestraße 17, 51147 Köln',
      resident_country: 'DE',
      resident_city: 'Köln',
      resident_postal_code: '51147',
      resident_street: 'Heidestraße 17',
      portrait: SAMPLE_PORTRAIT_JPEG_BASE64,
      family_name_birth: 'Gabler',
      sex: 2,
      expiry_date: '2035-11-02',
      issuing_authority: 'DE',
      issuing_country: 'DE',
      document_number: 'T22000129',
      issuance_date: '2025-11-03',
      attestation_legal_category: 'PID',
    },
  },
  validity_days: 90,
  deferred: false,
};
