-- WA-09: challenges handed out by the challenge endpoint for client attestation PoPs, each usable once.
CREATE TABLE attestation_challenges (
  challenge TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
) STRICT;
