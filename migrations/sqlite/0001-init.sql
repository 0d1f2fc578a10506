-- Issuer signing keys with their certificate chain (leaf first, CA last).
CREATE TABLE issuer_keys (
  kid TEXT PRIMARY KEY,
  alg TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  leaf_pem TEXT NOT NULL,
  ca_pem TEXT NOT NULL,
  ca_private_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  grant_type TEXT NOT NULL,
  credential_configuration_ids TEXT NOT NULL,
  options TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_created ON sessions (created_at);

CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  credential_offer TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retrieved_at INTEGER
) STRICT;

CREATE TABLE pre_authorized_codes (
  code TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  tx_code TEXT,
  failed_tx_code_attempts INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  redeemed_at INTEGER,
  burnt_at INTEGER
) STRICT;

-- Only a SHA-256 hash of each access token is stored.
CREATE TABLE access_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  token_type TEXT NOT NULL,
  dpop_jkt TEXT,
  credential_configuration_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

CREATE TABLE c_nonces (
  nonce TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
) STRICT;

CREATE TABLE dpop_nonces (
  nonce TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT;

-- DPOP-10: a proof's jti is accepted once per target URI within the window.
CREATE TABLE dpop_jtis (
  jti_hash TEXT NOT NULL,
  htu TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (jti_hash, htu)
) STRICT, WITHOUT ROWID;

CREATE TABLE issued_credentials (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  credential_configuration_id TEXT NOT NULL,
  format TEXT NOT NULL,
  holder_jkt TEXT,
  credential TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX issued_credentials_session ON issued_credentials (session_id);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  type TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX events_session ON events (session_id, id);

-- session_id is NULL for requests that could not be tied to a session (/logs).
CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  level TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  message TEXT NOT NULL,
  data TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX logs_session ON logs (session_id, id);
