// What was handed to the wallet or is waiting to be: deferred transactions, notifications, issued credentials.
import type { JWK } from 'jose';

/** A credential as minted, with the status list entry reserved for it (none for credentials minted before 0013). */
export interface MintedCredential {
  credential: string;
  status: { list_id: string; idx: number } | null;
}

export type DeferredStatus = 'pending' | 'ready' | 'retrieved' | 'denied';

export interface DeferredTransaction {
  transaction_id: string;
  session_id: string;
  token_hash: string;
  credential_configuration_id: string;
  holder_jwks: JWK[];
  /** The DID each holder key was named by (did:jwk, did:key kid), null for a plain jwk. */
  holder_dids: Array<string | null>;
  status: DeferredStatus;
  interval_s: number;
  credentials: MintedCredential[] | null;
  poll_count: number;
  last_poll_at: number | null;
  created_at: number;
  completed_at: number | null;
  retrieved_at: number | null;
}

export const notificationEvents = ['credential_accepted', 'credential_failure', 'credential_deleted'] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

export interface NotificationRecord {
  notification_id: string;
  session_id: string;
  credential_configuration_id: string;
  event: NotificationEvent | null;
  event_description: string | null;
  created_at: number;
  updated_at: number | null;
}

export interface IssuedCredential {
  id: string;
  session_id: string;
  credential_configuration_id: string;
  format: string;
  holder_jkt: string | null;
  credential: string;
  created_at: number;
}

export interface OfferRecord {
  id: string;
  session_id: string;
  credential_offer: Record<string, unknown>;
  created_at: number;
  retrieved_at: number | null;
}
