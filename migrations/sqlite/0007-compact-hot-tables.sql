-- Tables keyed by a random text id store their rows in the primary key's own B-tree (WITHOUT
-- ROWID), so an insert writes one tree instead of a table and its key index. Child tables get an
-- index on session_id, which ON DELETE CASCADE and retention need to find a session's rows.
-- log_entries' aggregate key becomes a partial index: only deferred poll summaries have one.
-- Runs with foreign keys off (see migrate()); foreign_key_check runs before the commit.

CREATE TABLE sessions_new (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  grant_type TEXT NOT NULL,
  credential_configuration_ids TEXT NOT NULL,
  options TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO sessions_new SELECT id, status, grant_type, credential_configuration_ids, options, created_at, updated_at FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
CREATE INDEX sessions_created ON sessions (created_at);

CREATE TABLE offers_new (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  credential_offer TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  retrieved_at INTEGER
) STRICT, WITHOUT ROWID;
INSERT INTO offers_new SELECT id, session_id, credential_offer, created_at, retrieved_at FROM offers;
DROP TABLE offers;
ALTER TABLE offers_new RENAME TO offers;
CREATE INDEX offers_session ON offers (session_id);

CREATE TABLE pre_authorized_codes_new (
  code TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  tx_code TEXT,
  failed_tx_code_attempts INTEGER NOT NULL DEFAULT 0,
  expires_at INTEGER NOT NULL,
  redeemed_at INTEGER,
  burnt_at INTEGER
) STRICT, WITHOUT ROWID;
INSERT INTO pre_authorized_codes_new
  SELECT code, session_id, tx_code, failed_tx_code_attempts, expires_at, redeemed_at, burnt_at FROM pre_authorized_codes;
DROP TABLE pre_authorized_codes;
ALTER TABLE pre_authorized_codes_new RENAME TO pre_authorized_codes;
CREATE INDEX pre_authorized_codes_session ON pre_authorized_codes (session_id);

CREATE TABLE access_tokens_new (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  token_type TEXT NOT NULL,
  dpop_jkt TEXT,
  credential_configuration_ids TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  client_id TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO access_tokens_new
  SELECT token_hash, session_id, token_type, dpop_jkt, credential_configuration_ids, created_at, expires_at, client_id FROM access_tokens;
DROP TABLE access_tokens;
ALTER TABLE access_tokens_new RENAME TO access_tokens;
CREATE INDEX access_tokens_session ON access_tokens (session_id);

CREATE TABLE c_nonces_new (
  nonce TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  consumed_at INTEGER
) STRICT, WITHOUT ROWID;
INSERT INTO c_nonces_new SELECT nonce, created_at, expires_at, consumed_at FROM c_nonces;
DROP TABLE c_nonces;
ALTER TABLE c_nonces_new RENAME TO c_nonces;

CREATE TABLE dpop_nonces_new (
  nonce TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO dpop_nonces_new SELECT nonce, expires_at FROM dpop_nonces;
DROP TABLE dpop_nonces;
ALTER TABLE dpop_nonces_new RENAME TO dpop_nonces;

CREATE TABLE notifications_new (
  notification_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  credential_configuration_id TEXT NOT NULL,
  event TEXT,
  event_description TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER
) STRICT, WITHOUT ROWID;
INSERT INTO notifications_new
  SELECT notification_id, session_id, credential_configuration_id, event, event_description, created_at, updated_at FROM notifications;
DROP TABLE notifications;
ALTER TABLE notifications_new RENAME TO notifications;
CREATE INDEX notifications_session ON notifications (session_id);

CREATE TABLE attestation_challenges_new (
  challenge TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT, WITHOUT ROWID;
INSERT INTO attestation_challenges_new SELECT challenge, expires_at, used_at FROM attestation_challenges;
DROP TABLE attestation_challenges;
ALTER TABLE attestation_challenges_new RENAME TO attestation_challenges;

CREATE TABLE log_entries_new (
  id INTEGER PRIMARY KEY,
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  endpoint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- For the timeline without reading records: the request's HTTP status (202 for a poll summary) and duration.
  http_status INTEGER,
  duration_ms REAL,
  aggregate_key TEXT,
  -- The outcome of every rule the entry's checks evaluated ("DPOP-01=p,PRF-08=f"): what the conformance report counts.
  rules TEXT,
  records TEXT NOT NULL
) STRICT;
INSERT INTO log_entries_new
  SELECT id, session_id, level, endpoint, created_at, http_status, duration_ms, aggregate_key, rules, records FROM log_entries;
DROP TABLE log_entries;
ALTER TABLE log_entries_new RENAME TO log_entries;
CREATE UNIQUE INDEX log_entries_aggregate ON log_entries (aggregate_key) WHERE aggregate_key IS NOT NULL;
CREATE INDEX log_entries_session ON log_entries (session_id, id);
CREATE INDEX log_entries_errors ON log_entries (session_id) WHERE level = 'error';
