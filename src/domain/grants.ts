// Single-use values of the token and credential endpoints: pre-authorized codes, access tokens, nonces.

export interface PreAuthorizedCode {
  code: string;
  session_id: string;
  tx_code: string | null;
  failed_tx_code_attempts: number;
  expires_at: number;
  redeemed_at: number | null;
  burnt_at: number | null;
}

/** Only a SHA-256 hash of the access token itself is kept. */
export interface AccessTokenRecord {
  token_hash: string;
  session_id: string;
  token_type: 'DPoP' | 'Bearer';
  dpop_jkt: string | null;
  client_id: string | null;
  credential_configuration_ids: string[];
  created_at: number;
  expires_at: number;
  /** The grant family (authorization code or refresh chain) it was issued from; revoked with it. */
  family_id?: string | null;
  revoked_at?: number | null;
  /** CRED-11: the credential_identifiers of its token response, null when none were returned. */
  credential_identifiers?: Array<{ credential_identifier: string; credential_configuration_id: string }> | null;
}

export interface CNonce {
  nonce: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}
