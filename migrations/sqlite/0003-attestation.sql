-- Trust anchors for key attestations and wallet attestations. Rows come from the /trust page or
-- API (global, session_id NULL) and from offers (scoped to their session). Anchors loaded from the
-- trust directory and the built-in test attester CA live in memory and are not stored here.
CREATE TABLE trust_anchors (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('key_attestation', 'wallet_attestation')),
  label TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('builtin', 'file', 'api', 'offer')),
  pem TEXT,
  jwk TEXT,
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  test INTEGER NOT NULL DEFAULT 0 CHECK (test IN (0, 1)),
  created_at INTEGER NOT NULL,
  CHECK ((pem IS NULL) <> (jwk IS NULL))
) STRICT;
CREATE INDEX trust_anchors_kind_session ON trust_anchors (kind, session_id);

-- The built-in test attester: a self-signed CA and a CA-issued signing certificate, created once.
CREATE TABLE test_attester_keys (
  id TEXT PRIMARY KEY,
  ca_pem TEXT NOT NULL,
  ca_private_jwk TEXT NOT NULL,
  leaf_pem TEXT NOT NULL,
  leaf_private_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- WA-07: a client attestation PoP jti (SHA-256 hash) is accepted once within its replay window.
CREATE TABLE client_attestation_pop_jtis (
  jti_hash TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
