import { CLIENT_ATTESTATION_ALGS } from '../checks/wallet-attestation.ts';
import type { KeyAttestationDemand, SessionOptions } from '../domain/session.ts';
import type { ProofTypesSupported } from '../formats/format.ts';
import { formatOf } from '../formats/index.ts';
import { credentialConfigurations } from './configurations.ts';
import type { IssuerContext } from './issuer-context.ts';

export const PROOF_SIGNING_ALGS = ['ES256', 'ES384', 'EdDSA'] as const;
export const DPOP_SIGNING_ALGS = ['ES256', 'ES384', 'EdDSA'] as const;
export const BATCH_SIZE = 5;
export const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const AUTHORIZATION_CODE_GRANT = 'authorization_code';
export const REFRESH_TOKEN_GRANT = 'refresh_token';

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
export function proofTypesSupported(
  demand: false | KeyAttestationDemand,
  algs: readonly string[] = PROOF_SIGNING_ALGS,
): ProofTypesSupported {
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

/**
 * RFC 8414 (ASM-*), RFC 9126 Section 5, RFC 9207, HAIP 1.0 Section 4. A session-scoped issuer claims
 * exactly what its session enforces: no anonymous access where a wallet attestation is demanded, the
 * challenge endpoint only where a challenge is demanded (WA-09).
 */
export function authorizationServerMetadata(ctx: IssuerContext, session?: SessionOptions): Record<string, unknown> {
  const attested = session?.require_wallet_attestation === true;
  const grants = session?.pre_authorized === false ? [] : [PRE_AUTHORIZED_GRANT];
  return {
    issuer: ctx.issuer,
    authorization_endpoint: ctx.url('/authorize'),
    token_endpoint: ctx.url('/token'),
    pushed_authorization_request_endpoint: ctx.url('/par'),
    require_pushed_authorization_requests: true,
    jwks_uri: ctx.url('/jwks'),
    ...(session?.require_attestation_challenge ? { challenge_endpoint: ctx.url('/challenge') } : {}),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: ['S256'],
    grant_types_supported: [
      AUTHORIZATION_CODE_GRANT,
      ...grants,
      ...(session?.refresh_tokens === false ? [] : [REFRESH_TOKEN_GRANT]),
    ],
    authorization_response_iss_parameter_supported: true,
    authorization_details_types_supported: ['openid_credential'],
    // WA-12 / ASM-07: wallet attestation, and none only where public and anonymous clients are allowed.
    token_endpoint_auth_methods_supported: attested ? ['attest_jwt_client_auth'] : ['attest_jwt_client_auth', 'none'],
    client_attestation_signing_alg_values_supported: [
      ...acceptedAlgs(session).filter((a) => (CLIENT_ATTESTATION_ALGS as readonly string[]).includes(a)),
    ],
    client_attestation_pop_signing_alg_values_supported: [
      ...acceptedAlgs(session).filter((a) => (CLIENT_ATTESTATION_ALGS as readonly string[]).includes(a)),
    ],
    dpop_signing_alg_values_supported: [
      ...acceptedAlgs(session).filter((a) => (DPOP_SIGNING_ALGS as readonly string[]).includes(a)),
    ],
    scopes_supported: credentialConfigurations.map((c) => c.scope),
    ...(grants.length > 0 ? { 'pre-authorized_grant_anonymous_access_supported': !attested } : {}),
  };
}
