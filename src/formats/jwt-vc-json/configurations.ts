import type { BaseConfiguration } from '../configuration.ts';
import type { JsonClaimDefinition } from '../json-claims/claims.ts';
import { pidJsonClaims, pidJsonSample } from '../json-claims/pid.ts';

export interface JwtVcJsonConfiguration extends BaseConfiguration {
  format: 'jwt_vc_json';
  /** MD-07: credential_definition.type, the VC's `type`. */
  type: string[];
  /** The members of credentialSubject; metadata paths start at the credential (FMT-JW-01). */
  claims: JsonClaimDefinition[];
}

export const pidJwtVcJson: JwtVcJsonConfiguration = {
  id: 'eu.europa.ec.eudi.pid_jwt_vc',
  format: 'jwt_vc_json',
  scope: 'eu.europa.ec.eudi.pid_jwt_vc',
  type: ['VerifiableCredential', 'EuropeanPersonIdentificationData'],
  name: 'EU Person Identification Data (JWT VC)',
  description: 'The EUDI Wallet PID as a W3C Verifiable Credential in a JWT.',
  background_color: '#1f3b8f',
  text_color: '#ffffff',
  claims: pidJsonClaims,
  sample: pidJsonSample,
  validity_days: 90,
  deferred: false,
};
