-- Retention deletes idle sessions, and ON DELETE CASCADE then looks up each session's trust
-- anchors by session_id alone, which the (kind, session_id) index cannot serve.
CREATE INDEX trust_anchors_session ON trust_anchors (session_id);
