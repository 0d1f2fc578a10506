// A session: one credential offer and everything the wallet did with it.

/** Setup steps only ever move forward; from awaiting_claims on, the latest outcome is shown. */
export const statusRank = {
  offer_created: 0,
  offer_retrieved: 1,
  token_exchanged: 2,
  awaiting_claims: 3,
  credential_issued: 3,
  credential_denied: 3,
  credential_accepted: 3,
  credential_failure: 3,
  credential_deleted: 3,
} as const;
export const OUTCOME_RANK = 3;

export type SessionStatus = keyof typeof statusRank;
export const sessionStatuses = Object.keys(statusRank) as SessionStatus[];

export interface TxCodeSpec {
  input_mode: 'numeric' | 'text';
  length: number;
  description?: string;
}

/** Accepted key_storage / user_authentication values of a key attestation (OID4VCI Appendix D.2). */
export interface KeyAttestationDemand {
  key_storage?: string[];
  user_authentication?: string[];
}

/** How a deferred request completes without a tester: after a time or a number of polls, by issuing or refusing. */
export interface DeferredPlan {
  ready_after_seconds?: number;
  ready_after_polls?: number;
  outcome: 'issue' | 'deny';
}

export interface OfferTrustAnchor {
  kind: 'key_attestation' | 'wallet_attestation';
  label?: string;
  pem?: string;
  jwk?: Record<string, unknown>;
}

export const profileIds = ['oid4vci-1.0', 'haip-1.0'] as const;
export type ProfileId = (typeof profileIds)[number];

/** What the tester asked of the wallet when creating the offer. */
/** OFF-01: by reference (credential_offer_uri) or by value (credential_offer); OFF-10: the wallet invocation scheme. */
export interface OfferDelivery {
  by: 'reference' | 'value';
  scheme: 'openid-credential-offer' | 'haip-vci';
}

export interface SessionOptions {
  /** The preset the demands came from; absent in sessions made before profiles existed (read as oid4vci-1.0). */
  profile?: ProfileId;
  /** Demands the offer set explicitly, against the profile's defaults. */
  overrides?: string[];
  /** Signing algorithms accepted for proofs, DPoP and attestations; absent means every supported one. */
  algs?: string[];
  require_dpop: boolean;
  dpop_nonce: boolean;
  /** false, or the key attestation demand (an empty object accepts any storage and authentication level). */
  require_key_attestation: false | KeyAttestationDemand;
  require_wallet_attestation: boolean;
  /** Dialect warnings (pre-1.0 typ values, ABCA drafts) become rejections. */
  strict: boolean;
  /** How the offer is handed to the wallet, when not by reference under openid-credential-offer:// (OFF-01, OFF-10). */
  offer_delivery?: OfferDelivery;
  /** credential_request_encryption and credential_response_encryption say encryption_required (ENC-02, ENC-04). */
  require_encryption?: boolean;
  tx_code?: TxCodeSpec;
  subject_id?: string;
  claims: Record<string, Record<string, unknown>>;
  deferred?: DeferredPlan;
  trust_anchors: OfferTrustAnchor[];
  /** The offer carries the pre-authorized code grant (absent in sessions made before the authorization code flow: true). */
  pre_authorized?: boolean;
  /** The offer carries the authorization code grant, or the session was started by a wallet at PAR. */
  authorization_code?: AuthorizationCodeOptions;
  /** H-13: refresh tokens with the code grants (absent: true). */
  refresh_tokens?: boolean;
  /** WA-09: client attestation PoPs must carry a challenge from the challenge endpoint. */
  require_attestation_challenge?: boolean;
  /** WA-10: the oldest wallet attestation (by iat) accepted. */
  max_attestation_age_seconds?: number;
}

export interface AuthorizationCodeOptions {
  /** tester: the consent page decides; auto: /authorize redirects with a code at once. */
  approval: 'tester' | 'auto';
  /** The offer carries issuer_state (PAR-10). */
  issuer_state: boolean;
  /** Started by a wallet at PAR without an offer (WALLET_INITIATED). */
  wallet_initiated?: boolean;
}

export interface Session {
  id: string;
  status: SessionStatus;
  grant_type: string;
  credential_configuration_ids: string[];
  options: SessionOptions;
  created_at: number;
  updated_at: number;
}

/** A row of the sessions list: the session plus what the list shows about its logs. */
export interface SessionSummary extends Session {
  error_count: number;
  /** The latest of a status change and a log entry. */
  last_activity_at: number;
}

export interface SessionEvent {
  id: number;
  session_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: number;
}
