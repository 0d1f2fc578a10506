import { credentialConfigurations, type CredentialConfiguration } from './configurations.ts';
import { CLIENT_ATTESTATION_ALGS } from '../checks/wallet-attestation.ts';
import type { KeyAttestationDemand, SessionOptions } from '../domain/session.ts';
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

/** OID4VCI 12.2.4 / Appendix D: a session that demands key attestation says so per proof type. */
function proofTypes(demand: false | KeyAttestationDemand): Record<string, unknown> {
  const algs = { proof_signing_alg_values_supported: [...PROOF_SIGNING_ALGS] };
  if (demand === false) return { jwt: algs };
  return { jwt: { ...algs, key_attestations_required: demand }, attestation: { ...algs, key_attestations_required: demand } };
}

function configurationMetadata(config: CredentialConfiguration, keyAttestation: false | KeyAttestationDemand): Record<string, unknown> {
  return {
    format: config.format,
    scope: config.scope,
    ...(config.vct ? { vct: config.vct } : {}),
    ...(config.type ? { credential_definition: { type: config.type } } : {}),
    cryptographic_binding_methods_supported: ['jwk'],
    credential_signing_alg_values_supported: ['ES256'],
    proof_types_supported: proofTypes(keyAttestation),
    credential_metadata: {
      display: [
        {
          name: config.name,
          locale: LOCALE,
          description: config.description,
          background_color: config.background_color,
          text_color: config.text_color,
        },
      ],
      claims: config.claims.map((claim) => ({
        path: claim.path,
        ...(claim.mandatory ? { mandatory: true } : {}),
        display: [{ name: claim.label, locale: LOCALE }],
      })),
    },
  };
}

/** OID4VCI 1.0 Section 12.2.4 (MD-*), HAIP 1.0 Section 4.1. */
export function credentialIssuerMetadata(ctx: IssuerContext, session?: SessionOptions): Record<string, unknown> {
  const keyAttestation = session?.require_key_attestation ?? false;
  return {
    credential_issuer: ctx.issuer,
    credential_endpoint: ctx.url('/credential'),
    nonce_endpoint: ctx.url('/nonce'),
    deferred_credential_endpoint: ctx.url('/deferred_credential'),
    notification_endpoint: ctx.url('/notification'),
    batch_credential_issuance: { batch_size: BATCH_SIZE },
    display: [{ name: 'OID4VCI Issuer Playground', locale: LOCALE }],
    credential_configurations_supported: Object.fromEntries(
      credentialConfigurations.map((config) => [config.id, configurationMetadata(config, keyAttestation)]),
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
