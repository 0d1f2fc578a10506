-- The client_id a token was issued to (wallet attestation sub, or client_id of a public client); NULL when anonymous.
ALTER TABLE access_tokens ADD COLUMN client_id TEXT;
