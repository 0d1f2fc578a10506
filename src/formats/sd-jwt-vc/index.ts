// The dc+sd-jwt credential format (OID4VCI 1.0 Appendix A.3, SD-JWT VC -13).
import { credentialMetadata } from '../configuration.ts';
import type { CredentialFormat } from '../format.ts';
import { jsonClaimInputs, jsonClaimsSchema } from '../json-claims/claims.ts';
import { diplomaSdJwtVc, pidSdJwtVc, type SdJwtVcConfiguration } from './configurations.ts';
import { decodeSdJwt } from './decode.ts';
import { mintSdJwtVc } from './mint.ts';

export type { SdJwtVcConfiguration } from './configurations.ts';
export { decodeSdJwt, isCompactSdJwt } from './decode.ts';

export const sdJwtVcConfigurations: readonly SdJwtVcConfiguration[] = [pidSdJwtVc, diplomaSdJwtVc];

// FMT-SD-01: draft 13 named the format vc+sd-jwt.
const DRAFT13_FORMATS = new Set(['vc+sd-jwt', 'dc+sd-jwt']);

export const sdJwtVcFormat: CredentialFormat<SdJwtVcConfiguration> = {
  id: 'dc+sd-jwt',
  // FMT-SD-05: cnf.jwk is the proof key.
  bindingMethods: ['jwk'],
  metadata: (config, proofTypes) => ({
    format: config.format,
    scope: config.scope,
    // MD-07 / FMT-SD-03: vct is REQUIRED.
    vct: config.vct,
    cryptographic_binding_methods_supported: [...sdJwtVcFormat.bindingMethods],
    // FMT-SD-10: ES256, HAIP's minimum.
    credential_signing_alg_values_supported: ['ES256'],
    proof_types_supported: proofTypes,
    credential_metadata: credentialMetadata(config),
  }),
  claimsSchema: (config) => jsonClaimsSchema(config.claims),
  claimInputs: (config) => jsonClaimInputs(config.claims),
  mint: mintSdJwtVc,
  decode: decodeSdJwt,
  requestedByDraft13: (config, request) =>
    typeof request.format === 'string' && DRAFT13_FORMATS.has(request.format) && request.vct === config.vct,
};
