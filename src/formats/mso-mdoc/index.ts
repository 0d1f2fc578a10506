// The mso_mdoc credential format (OID4VCI 1.0 Appendix A.2, ISO/IEC 18013-5): configurations,
// their metadata, the claims rules, minting and decoding.
import type { CredentialFormat } from '../format.ts';
import { ageVerificationMdoc } from './age-verification.ts';
import { mdocClaimsSchema } from './claims-schema.ts';
import type { MdocClaims, MdocConfiguration } from './configuration.ts';
import { decodeMdoc } from './decode.ts';
import { elementTypes } from './element-types.ts';
import { isoMdl } from './mdl.ts';
import { MDOC_BINDING_METHODS, mdocConfigurationMetadata } from './metadata.ts';
import { mintMdoc } from './mint.ts';
import { pidMdoc } from './pid.ts';

export { ageVerificationMdoc } from './age-verification.ts';
export { mdocClaimsSchema } from './claims-schema.ts';
export type { MdocClaimDefinition, MdocClaims, MdocConfiguration, MdocElementType } from './configuration.ts';
export { type DecodedMdoc, decodeMdoc } from './decode.ts';
export type { MdocIssuerKey } from './issuer-signing.ts';
export { isoMdl } from './mdl.ts';
export { mdocConfigurationMetadata } from './metadata.ts';
export { type MintMdocInput, mintMdoc } from './mint.ts';
export { pidMdoc } from './pid.ts';

/** The immediate configurations; deferredTwin (../configuration.ts) makes the deferred ones. */
export const mdocConfigurations: readonly MdocConfiguration[] = [pidMdoc, isoMdl, ageVerificationMdoc];

export const msoMdocFormat: CredentialFormat<MdocConfiguration> = {
  id: 'mso_mdoc',
  bindingMethods: MDOC_BINDING_METHODS,
  metadata: mdocConfigurationMetadata,
  claimsSchema: mdocClaimsSchema,
  claimInputs: (config) =>
    config.claims.map((claim) => ({
      path: claim.path,
      label: claim.label,
      mandatory: claim.mandatory === true,
      ...elementTypes[claim.type].input,
    })),
  mint: (config, claims, { key, holderJwk, now, status }) =>
    mintMdoc({
      config,
      // mintMdoc checks them against mdocClaimsSchema again before it signs.
      claims: claims as MdocClaims,
      // FMT-MD-03: the proof key becomes the MSO's COSE_Key device key.
      holderJwk,
      issuer: { privateKey: key.privateKey, leafCertificatePem: key.leafPem },
      now,
      ...(status ? { status } : {}),
    }),
  decode: decodeMdoc,
  // Draft 13 Appendix A.2.4: format and doctype.
  requestedByDraft13: (config, request) => request.format === 'mso_mdoc' && request.doctype === config.doctype,
};
