-- Deferred issuance: a credential request accepted with 202 and completed later (OID4VCI 1.0 Section 9).
CREATE TABLE deferred_transactions (
  transaction_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  -- DEF-08: only the token that created the transaction may poll it.
  token_hash TEXT NOT NULL,
  credential_configuration_id TEXT NOT NULL,
  holder_jwks TEXT NOT NULL,
  -- pending -> ready -> retrieved, or pending -> denied
  status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'retrieved', 'denied')),
  interval_s INTEGER NOT NULL,
  credentials TEXT,
  poll_count INTEGER NOT NULL DEFAULT 0,
  last_poll_at BIGINT,
  created_at BIGINT NOT NULL,
  completed_at BIGINT,
  retrieved_at BIGINT
);
CREATE INDEX deferred_transactions_session ON deferred_transactions (session_id, status);

-- One notification_id per credential response (OID4VCI 1.0 Section 11).
CREATE TABLE notifications (
  notification_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  credential_configuration_id TEXT NOT NULL,
  event TEXT,
  event_description TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT
);

-- Repeated identical log entries (deferred polls) are kept as one entry under this key.
ALTER TABLE logs ADD COLUMN aggregate_key TEXT;
CREATE INDEX logs_aggregate ON logs (aggregate_key) WHERE aggregate_key IS NOT NULL;
