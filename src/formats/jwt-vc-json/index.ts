// The jwt_vc_json credential format (OID4VCI 1.0 Appendix A.1.1): a W3C VC in a JWT, no JSON-LD.
import { decodeCompactJwt } from '../../checks/jose-helpers.ts';
import { credentialMetadata } from '../configuration.ts';
import type { CredentialFormat } from '../format.ts';
import { jsonClaimInputs, jsonClaimsSchema } from '../json-claims/claims.ts';
import { type JwtVcJsonConfiguration, pidJwtVcJson } from './configurations.ts';
import { mintJwtVcJson } from './mint.ts';

export type { JwtVcJsonConfiguration } from './configurations.ts';

export const jwtVcJsonConfigurations: readonly JwtVcJsonConfiguration[] = [pidJwtVcJson];

const sameTypes = (requested: unknown, type: readonly string[]): boolean =>
  Array.isArray(requested) && requested.length === type.length && type.every((t) => requested.includes(t));

export const jwtVcJsonFormat: CredentialFormat<JwtVcJsonConfiguration> = {
  id: 'jwt_vc_json',
  // Appendix A.1.1 with did:jwk and did:key holder DIDs (resolved locally) besides a bare jwk.
  bindingMethods: ['jwk', 'did:jwk', 'did:key'],
  metadata: (config, proofTypes) => ({
    format: config.format,
    scope: config.scope,
    // MD-07: credential_definition.type is REQUIRED.
    credential_definition: { type: config.type },
    cryptographic_binding_methods_supported: [...jwtVcJsonFormat.bindingMethods],
    credential_signing_alg_values_supported: ['ES256'],
    proof_types_supported: proofTypes,
    // FMT-JW-01 (Appendix A.1.1.2): claim paths start at the credential, so under credentialSubject.
    credential_metadata: credentialMetadata(config, ['credentialSubject']),
  }),
  claimsSchema: (config) => jsonClaimsSchema(config.claims),
  claimInputs: (config) => jsonClaimInputs(config.claims),
  mint: mintJwtVcJson,
  decode: (credential) => {
    const decoded = decodeCompactJwt(credential);
    return decoded ? { ...decoded } : { undecodable: 'not a compact JWS with JSON header and payload (FMT-JW-01)' };
  },
  // Draft 13 Appendix A.1.1.4: format and credential_definition.type.
  requestedByDraft13: (config, request) =>
    request.format === 'jwt_vc_json' &&
    sameTypes((request.credential_definition as { type?: unknown } | undefined)?.type, config.type),
};
