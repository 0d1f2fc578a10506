import { credentialConfigurations } from './configurations.ts';
import { CLIENT_ATTESTATION_ALGS } from '../checks/wallet-attestation.ts';
import type { KeyAttestationDemand, SessionOptions } from '../domain/session.ts';
import type { ProofTypesSupported } from '../formats/format.ts';
import { formatOf } from '../formats/index.ts';
import type { IssuerContext } from './issuer-context.ts';

export const PROOF_SIGNING_ALGS = ['ES256', 'ES384', 'EdDSA'] as const;
export const DPOP_SIGNING_ALGS = ['ES256', 'ES384', 'EdDSA'] as const;
export const BATCH_SIZE = 5;
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

const LOCALE = 'en-US';

/** The algorithms a session accepts for key proofs, DPoP proofs and attestations (HAIP sessions: ES256). */
export function acceptedAlgs(options: Pick<SessionOptions, 'algs'> | undefined): readonly string[] {
  return options?.algs ?? PROOF_SIGNING_ALGS;
}

/**
 * `proof_types_supported` of every configuration (OID4VCI 1.0 Section 12.2.4, Appendix D): a session
 * that demands key attestation says so per proof type and offers the attestation proof type too.
 * The credential endpoint accepts exactly these proof types, signed with the session's algorithms.
 */
export function proofTypesSupported(demand: false | KeyAttestationDemand, algs: readonly string[] = PROOF_SIGNING_ALGS): ProofTypesSupported {
  const signing = { proof_signing_alg_values_supported: [...algs] };
  if (demand === false) return { jwt: signing };
  return {
    jwt: { ...signing, key_attestations_required: demand },
    attestation: { ...signing, key_attestations_required: demand },
  };
}

/** OID4VCI 1.0 Section 12.2.4 (MD-*), HAIP 1.0 Section 4.1. */
export function credentialIssuerMetadata(ctx: IssuerContext, session?: SessionOptions): Record<string, unknown> {
  const proofTypes = proofTypesSupported(session?.require_key_attestation ?? false, acceptedAlgs(session));
  return {
    credential_issuer: ctx.issuer,
    credential_endpoint: ctx.url('/credential'),
    nonce_endpoint: ctx.url('/nonce'),
    deferred_credential_endpoint: ctx.url('/deferred_credential'),
    notification_endpoint: ctx.url('/notification'),
    batch_credential_issuance: { batch_size: BATCH_SIZE },
    display: [{ name: 'OID4VCI Issuer Playground', locale: LOCALE }],
    credential_configurations_supported: Object.fromEntries(
      credentialConfigurations.map((config) => [config.id, formatOf(config).metadata(config, proofTypes)]),
    ),
  };
}

/** RFC 8414 (ASM-*). Only the pre-authorized code grant is offered so far. */
export function authorizationServerMetadata(ctx: IssuerContext): Record<string, unknown> {
  return {
    issuer: ctx.issuer,
    token_endpoint: ctx.url('/token'),
    jwks_uri: ctx.url('/jwks'),
    challenge_endpoint: ctx.url('/challenge'),
    grant_types_supported: [PRE_AUTHORIZED_GRANT],
    // WA-12 / ASM-07: wallet attestation, or none for anonymous and public clients.
    token_endpoint_auth_methods_supported: ['attest_jwt_client_auth', 'none'],
    client_attestation_signing_alg_values_supported: [...CLIENT_ATTESTATION_ALGS],
    client_attestation_pop_signing_alg_values_supported: [...CLIENT_ATTESTATION_ALGS],
    dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
    scopes_supported: credentialConfigurations.map((c) => c.scope),
    'pre-authorized_grant_anonymous_access_supported': true,
  };
}
