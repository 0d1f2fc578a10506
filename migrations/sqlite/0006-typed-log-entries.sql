-- Log entries with typed records: one row per request (the request itself, each check with its
-- findings, state changes, issued credentials, rejections, warnings), a poll summary, or a tester
-- action. Rows written before records were typed become one 'legacy' record with their message and data.
CREATE TABLE log_entries (
  id INTEGER PRIMARY KEY,
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  endpoint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- For the timeline without reading records: the request's HTTP status (202 for a poll summary) and duration.
  http_status INTEGER,
  duration_ms REAL,
  aggregate_key TEXT UNIQUE,
  -- The outcome of every rule the entry's checks evaluated ("DPOP-01=p,PRF-08=f"): what the conformance report counts.
  rules TEXT,
  records TEXT NOT NULL
) STRICT;

INSERT INTO log_entries (id, session_id, level, endpoint, created_at, aggregate_key, records)
  SELECT id, session_id, level, endpoint, created_at, aggregate_key,
         json_array(json_object('kind', 'legacy', 'message', message, 'data', json(data)))
  FROM logs;
DROP TABLE logs;

CREATE INDEX log_entries_session ON log_entries (session_id, id);
-- The sessions list counts errors per session.
CREATE INDEX log_entries_errors ON log_entries (session_id) WHERE level = 'error';
