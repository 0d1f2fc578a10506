import type { BaseConfiguration } from '../configuration.ts';
import type { JsonClaimDefinition } from '../json-claims/claims.ts';
import { pidJsonClaims, pidJsonSample } from '../json-claims/pid.ts';

export interface SdJwtVcConfiguration extends BaseConfiguration {
  format: 'dc+sd-jwt';
  /** FMT-SD-03: the credential type, never selectively disclosable. */
  vct: string;
  claims: JsonClaimDefinition[];
}

export const pidSdJwtVc: SdJwtVcConfiguration = {
  id: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
  format: 'dc+sd-jwt',
  scope: 'eu.europa.ec.eudi.pid_vc_sd_jwt',
  vct: 'urn:eudi:pid:1',
  name: 'EU Person Identification Data (SD-JWT VC)',
  description: 'The EUDI Wallet PID as an SD-JWT VC with selectively disclosable claims.',
  background_color: '#12107c',
  text_color: '#ffffff',
  claims: pidJsonClaims,
  sample: pidJsonSample,
  validity_days: 90,
  deferred: false,
};

export const diplomaSdJwtVc: SdJwtVcConfiguration = {
  id: 'org.example.university_diploma_sd_jwt',
  format: 'dc+sd-jwt',
  scope: 'org.example.university_diploma_sd_jwt',
  vct: 'urn:example:diploma:1',
  name: 'University Diploma',
  description: 'A bachelor diploma from the Example University of Applied Wallets.',
  background_color: '#7a1f3d',
  text_color: '#ffffff',
  claims: [
    { path: ['given_name'], type: 'string', mandatory: true, label: 'Given name' },
    { path: ['family_name'], type: 'string', mandatory: true, label: 'Family name' },
    { path: ['degree'], type: 'string', mandatory: true, label: 'Degree' },
    { path: ['field_of_study'], type: 'string', mandatory: true, label: 'Field of study' },
    { path: ['graduation_date'], type: 'date', mandatory: true, label: 'Graduation date' },
    { path: ['grade'], type: 'string', label: 'Final grade' },
    { path: ['ects_credits'], type: 'number', label: 'ECTS credits' },
  ],
  sample: {
    given_name: 'Erika',
    family_name: 'Mustermann',
    degree: 'Bachelor of Science',
    field_of_study: 'Computer Science',
    graduation_date: '2008-07-15',
    grade: '1.3',
    ects_credits: 180,
  },
  validity_days: 3650,
  deferred: false,
};
