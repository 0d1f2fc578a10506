import { OPENID_CREDENTIAL, type RequestedCredential } from './authorization-details.ts';

// TOK-18: the successful token response of the authorization_code and refresh_token grants
// (RFC 6749 Section 5.1, OID4VCI 1.0 Section 6.2). The endpoint sends it with Cache-Control: no-store.

export interface TokenAuthorizationDetail {
  type: typeof OPENID_CREDENTIAL;
  credential_configuration_id: string;
  credential_identifiers: [string, ...string[]];
}

export interface TokenResponseBody {
  access_token: string;
  token_type: 'DPoP' | 'Bearer';
  expires_in: number;
  refresh_token?: string;
  authorization_details?: TokenAuthorizationDetail[];
}

/** What the credential endpoint accepts as credential_identifier with this access token (CRED-11). */
export interface CredentialIdentifier {
  credential_identifier: string;
  credential_configuration_id: string;
}

export interface TokenResponseInput {
  accessToken: string;
  /** Bound to the DPoP key of the request (RFC 9449 Section 5): token_type DPoP. */
  dpopBound: boolean;
  expiresIn: number;
  refreshToken?: string;
  authorized: readonly RequestedCredential[];
  /** A fresh unguessable value per call (the endpoint's secret generator), so identifiers are unique per token. */
  newIdentifier: () => string;
}

/**
 * When any credential was requested through authorization_details, authorization_details lists
 * every authorised configuration, scope-requested ones included: OID4VCI 1.0 Section 8.2 makes a
 * wallet that received credential_identifiers use credential_identifier, so it never has to mix
 * the two ways of naming a credential. Each configuration is one Credential Dataset with one
 * identifier; batch issuance repeats proofs, not identifiers. Scope-only requests get none (optional
 * per Section 6.2), and the wallet names the configuration in the credential request.
 */
export function tokenResponse(input: TokenResponseInput): {
  body: TokenResponseBody;
  credentialIdentifiers: CredentialIdentifier[];
} {
  const body: TokenResponseBody = {
    access_token: input.accessToken,
    token_type: input.dpopBound ? 'DPoP' : 'Bearer',
    expires_in: input.expiresIn,
    ...(input.refreshToken === undefined ? {} : { refresh_token: input.refreshToken }),
  };
  if (!input.authorized.some((r) => r.via === 'authorization_details')) return { body, credentialIdentifiers: [] };
  const credentialIdentifiers = input.authorized.map((r) => ({
    credential_identifier: input.newIdentifier(),
    credential_configuration_id: r.credential_configuration_id,
  }));
  body.authorization_details = credentialIdentifiers.map((c) => ({
    type: OPENID_CREDENTIAL,
    credential_configuration_id: c.credential_configuration_id,
    credential_identifiers: [c.credential_identifier],
  }));
  return { body, credentialIdentifiers };
}
