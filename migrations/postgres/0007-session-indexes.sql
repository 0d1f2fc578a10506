-- Child tables get an index on session_id, which ON DELETE CASCADE and retention need to find a
-- session's rows. log_entries' aggregate key becomes a partial index: only deferred poll
-- summaries have one.
CREATE INDEX offers_session ON offers (session_id);
CREATE INDEX pre_authorized_codes_session ON pre_authorized_codes (session_id);
CREATE INDEX access_tokens_session ON access_tokens (session_id);
CREATE INDEX notifications_session ON notifications (session_id);
ALTER TABLE log_entries DROP CONSTRAINT log_entries_aggregate_key_key;
CREATE UNIQUE INDEX log_entries_aggregate ON log_entries (aggregate_key) WHERE aggregate_key IS NOT NULL;
