import { credentialMetadata } from '../configuration.ts';
import type { ProofTypesSupported } from '../format.ts';
import type { MdocConfiguration } from './configuration.ts';
import { ISSUER_AUTH_ALGORITHM } from './issuer-signing.ts';

/** ESP256, ECDSA with P-256 and SHA-256 (RFC 9864 fully specified algorithms). */
const COSE_ESP256 = -9;

/** FMT-MD-03: the MSO's deviceKey is a COSE_Key made from the key in the wallet's proof. */
export const MDOC_BINDING_METHODS = ['cose_key'] as const;

/**
 * The `credential_configurations_supported` entry of an mso_mdoc configuration (OID4VCI 1.0
 * §12.2.4 and Appendix A.2.2; MD-06, MD-07).
 */
export function mdocConfigurationMetadata(
  config: MdocConfiguration,
  proofTypesSupported: ProofTypesSupported,
): Record<string, unknown> {
  return {
    format: config.format,
    // MD-07 / FMT-MD-01: doctype is REQUIRED for mso_mdoc.
    doctype: config.doctype,
    // H-07 (HAIP 1.0 §4.1): every configuration has a scope.
    scope: config.scope,
    cryptographic_binding_methods_supported: [...MDOC_BINDING_METHODS],
    // FMT-MD-02 (Appendix A.2.2): COSE ids. IssuerAuth carries -7 and is signed with a P-256 key,
    // which matches both -7 and the fully specified -9, as the appendix's example explains.
    credential_signing_alg_values_supported: [ISSUER_AUTH_ALGORITHM, COSE_ESP256],
    // MD-06: present because the binding methods are.
    proof_types_supported: proofTypesSupported,
    // Appendix B.2 with Appendix C.2 paths: [namespace, data element identifier].
    credential_metadata: credentialMetadata(config),
  };
}
