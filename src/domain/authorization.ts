// The authorization code flow's stored state: pushed requests, codes and refresh tokens.
import type { RequestedCredential } from '../checks/authorization-details.ts';

/** What a pushed authorization request asked for, kept until /authorize decides it. */
export interface PushedRequest {
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  state?: string;
  requested: RequestedCredential[];
  /** RFC 9449 Section 10: the key the code will be bound to. */
  dpop_jkt: string | null;
  /** cnf.jwk thumbprint of the wallet attestation at PAR (WA-13), null when the client was not attested. */
  client_instance_jkt: string | null;
  /** The offer's issuer_state, when the PAR named one. */
  issuer_state?: string;
  /** Started at PAR without an offer (WALLET_INITIATED). */
  wallet_initiated: boolean;
}

export interface ParRecord {
  reference_hash: string;
  session_id: string;
  client_id: string;
  request: PushedRequest;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  decided_at: number | null;
}

/** An issued authorization code: what was consented to, bound to the pushed request's client, PKCE and DPoP key. */
export interface CodeGrantData {
  redirect_uri: string;
  code_challenge: string;
  dpop_jkt: string | null;
  client_instance_jkt: string | null;
  authorized: RequestedCredential[];
  /** The claims the tester approved on the consent page, per configuration. */
  claims?: Record<string, Record<string, unknown>>;
}

export interface AuthorizationCodeRow {
  code_hash: string;
  session_id: string;
  client_id: string;
  grant: CodeGrantData;
  issued_at: number;
  redeemed_at: number | null;
}

export interface RefreshTokenRow {
  token_hash: string;
  session_id: string;
  family_id: string;
  client_id: string;
  dpop_jkt: string | null;
  client_instance_jkt: string | null;
  authorized: RequestedCredential[];
  family_issued_at: number;
  created_at: number;
  expires_at: number;
  rotated_at: number | null;
  revoked_at: number | null;
}
