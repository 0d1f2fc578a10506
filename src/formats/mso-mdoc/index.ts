// The mso_mdoc credential format (OID4VCI 1.0 Appendix A.2, ISO/IEC 18013-5): configurations,
// their metadata, the claims rules, minting and decoding.
import { ageVerificationMdoc } from './age-verification.ts';
import type { MdocConfiguration } from './configuration.ts';
import { isoMdl } from './mdl.ts';
import { pidMdoc } from './pid.ts';

export { ageVerificationMdoc } from './age-verification.ts';
export { mdocClaimsSchema } from './claims-schema.ts';
export { deferredMdocTwin, MDOC_DEFERRED_SUFFIX } from './configuration.ts';
export type { MdocClaimDefinition, MdocClaims, MdocConfiguration, MdocElementType } from './configuration.ts';
export { decodeMdoc, type DecodedMdoc } from './decode.ts';
export type { MdocIssuerKey } from './issuer-signing.ts';
export { isoMdl } from './mdl.ts';
export { mdocConfigurationMetadata, type ProofTypesSupported } from './metadata.ts';
export { mintMdoc, type MintMdocInput } from './mint.ts';
export { pidMdoc } from './pid.ts';

/** The immediate configurations; deferredMdocTwin makes the deferred ones. */
export const mdocConfigurations: readonly MdocConfiguration[] = [pidMdoc, isoMdl, ageVerificationMdoc];
