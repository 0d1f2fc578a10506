import type { JWK } from 'jose';
import { REQUEST_ENCRYPTION_ALG, type RequestEncryptionKey } from './encryption-keys.ts';

// credential_request_encryption and credential_response_encryption of the Credential Issuer
// Metadata, OID4VCI 1.0 Section 12.2.4 (MD-09).

/** ECDH-ES direct key agreement (RFC 7518 Section 4.6) with AES-GCM content encryption (Section 5.3). */
export const ENCRYPTION_ALGS = [REQUEST_ENCRYPTION_ALG] as const;
export const ENCRYPTION_ENCS = ['A128GCM', 'A256GCM'] as const;
/** jose 6 compresses and decompresses DEF (RFC 7516 Section 4.1.3) itself. */
export const ENCRYPTION_ZIPS = ['DEF'] as const;

export interface CredentialRequestEncryptionMetadata {
  jwks: { keys: JWK[] };
  enc_values_supported: string[];
  zip_values_supported?: string[];
  encryption_required: boolean;
}

export interface CredentialResponseEncryptionMetadata {
  alg_values_supported: string[];
  enc_values_supported: string[];
  zip_values_supported?: string[];
  encryption_required: boolean;
}

/**
 * Both members or neither: a request that asks for an encrypted response must itself be encrypted
 * (Section 8.2), so offering response encryption without request encryption would make it
 * unusable (the OIDF suite fails such an issuer). One `required` covers both for the same reason.
 */
export function encryptionMetadata(
  keys: readonly RequestEncryptionKey[],
  options: { required: boolean },
): {
  credential_request_encryption: CredentialRequestEncryptionMetadata;
  credential_response_encryption: CredentialResponseEncryptionMetadata;
} {
  if (keys.length === 0) throw new Error('credential_request_encryption needs at least one key');
  return {
    credential_request_encryption: {
      jwks: { keys: keys.map((key) => key.publicJwk) },
      enc_values_supported: [...ENCRYPTION_ENCS],
      zip_values_supported: [...ENCRYPTION_ZIPS],
      encryption_required: options.required,
    },
    credential_response_encryption: {
      alg_values_supported: [...ENCRYPTION_ALGS],
      enc_values_supported: [...ENCRYPTION_ENCS],
      zip_values_supported: [...ENCRYPTION_ZIPS],
      encryption_required: options.required,
    },
  };
}
