-- A session is private to whoever holds its capability: the SHA-256 of its session_token (the
-- token itself is shown once, at creation), or a browser workspace it was added to.
ALTER TABLE sessions ADD COLUMN token_hash TEXT;

-- Which sessions a browser's workspace cookie opens (the cookie value is stored hashed).
CREATE TABLE workspace_sessions (
  workspace_hash TEXT NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (workspace_hash, session_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX workspace_sessions_session ON workspace_sessions (session_id);
