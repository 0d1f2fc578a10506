-- Credentials handed out by the deferred endpoint get an event type of their own, so the timeline
-- tells the credential and deferred steps apart without reading every event's data.
UPDATE events SET type = 'deferred_credential_issued' WHERE type = 'credential_issued' AND data LIKE '%"transaction_id":%';

-- The session page lists a session's newest credentials through this index instead of sorting them all.
DROP INDEX issued_credentials_session;
CREATE INDEX issued_credentials_session ON issued_credentials (session_id, created_at, id);

-- The timeline counts a session's requests per endpoint and lists the newest few of each.
CREATE INDEX log_entries_session_endpoint ON log_entries (session_id, endpoint, id);
