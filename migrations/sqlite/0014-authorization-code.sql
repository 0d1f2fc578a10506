-- The authorization code flow (issue 10): issuer_state of offers, pushed authorization requests,
-- authorization codes and rotating refresh tokens. Secrets are stored as SHA-256 hashes only.

-- PAR-10: the issuer_state of an offer with the authorization_code grant ties the wallet's PAR to its session.
CREATE TABLE issuer_states (
  issuer_state TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX issuer_states_session ON issuer_states (session_id);

-- RFC 9126: a pushed request, named by the hash of its request_uri reference; single use (AUTH-02).
CREATE TABLE par_requests (
  reference_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  request TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  decided_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX par_requests_session ON par_requests (session_id);

-- AUTH-04, TOK-09: single-use codes of at most 60 s.
CREATE TABLE authorization_codes (
  code_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL,
  grant_data TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  redeemed_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX authorization_codes_session ON authorization_codes (session_id);

-- TOK-20: rotating refresh tokens; a family is every token rotated from one grant (its family_id).
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  family_id TEXT NOT NULL,
  client_id TEXT NOT NULL,
  dpop_jkt TEXT,
  client_instance_jkt TEXT,
  authorized TEXT NOT NULL,
  family_issued_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  rotated_at INTEGER,
  revoked_at INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

-- Which grant an access token came from (the family id), so a replay revokes it; the identifiers of CRED-11.
ALTER TABLE access_tokens ADD COLUMN family_id TEXT;
ALTER TABLE access_tokens ADD COLUMN revoked_at INTEGER;
ALTER TABLE access_tokens ADD COLUMN credential_identifiers TEXT;
CREATE INDEX access_tokens_family ON access_tokens (family_id);
