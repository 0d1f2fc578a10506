-- Typed log records: one row per record of a request (the request itself, each check with its
-- findings, state changes, issued credentials, rejections, warnings, poll summaries, tester actions).
-- Rows written before records were typed become 'legacy' records carrying their message and data.
CREATE TABLE log_entries (
  id INTEGER PRIMARY KEY,
  session_id TEXT REFERENCES sessions (id) ON DELETE CASCADE,
  request_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'check', 'state', 'issued', 'rejection', 'warning', 'polls', 'tester', 'legacy')),
  level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
  endpoint TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  -- The HTTP status and duration of a request (or poll summary) record, for the timeline without parsing records.
  http_status INTEGER,
  duration_ms REAL,
  aggregate_key TEXT UNIQUE,
  -- Every rule the record's check evaluated, as JSON: what the conformance report counts.
  findings TEXT,
  record TEXT NOT NULL
) STRICT;

INSERT INTO log_entries (id, session_id, request_id, kind, level, endpoint, created_at, aggregate_key, record)
  SELECT id, session_id, 'legacy-' || id, 'legacy', level, endpoint, created_at, aggregate_key,
         json_object('kind', 'legacy', 'message', message, 'data', json(data))
  FROM logs;
DROP TABLE logs;

CREATE INDEX log_entries_session ON log_entries (session_id, id);
CREATE INDEX log_entries_session_level ON log_entries (session_id, level);
CREATE INDEX log_entries_request ON log_entries (request_id);
