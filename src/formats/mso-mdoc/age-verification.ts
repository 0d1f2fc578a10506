import type { MdocClaimDefinition, MdocConfiguration } from './configuration.ts';

// EU Age Verification technical specification §4.1 (Proof of Age attestation): doctype and
// namespace eu.europa.ec.av.1; age_over_18 is always issued, age_over_NN are optional booleans, and
// "A Proof of Age Attestation SHALL NOT include any other attribute" (§4.1.2).
const AV = 'eu.europa.ec.av.1';

// The thresholds the EUDI reference issuer offers besides 18; NN is open in the data model, but a
// closed namespace has to list what it accepts.
const OPTIONAL_THRESHOLDS = [13, 15, 16, 21, 23, 25, 27, 28, 40, 60, 65, 67] as const;

const ageOver = (years: number, mandatory: boolean): MdocClaimDefinition => ({
  path: [AV, `age_over_${years}`],
  type: 'bool',
  ...(mandatory ? { mandatory: true } : {}),
  label: `Age ${years} or over`,
});

export const ageVerificationMdoc: MdocConfiguration = {
  id: 'eu.europa.ec.av.1',
  format: 'mso_mdoc',
  doctype: AV,
  scope: 'eu.europa.ec.av.1',
  name: 'Proof of Age (age verification)',
  description: 'The EU age verification attestation: age_over_NN booleans and nothing else.',
  background_color: '#0b6e4f',
  text_color: '#ffffff',
  claims: [ageOver(18, true), ...OPTIONAL_THRESHOLDS.map((years) => ageOver(years, false))],
  sample: { [AV]: { age_over_18: true, age_over_21: true, age_over_65: false } },
  validity_days: 90,
  deferred: false,
  only_listed_elements: true,
};
