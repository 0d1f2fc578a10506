-- Status lists (draft-ietf-oauth-status-list-14, W3C Bitstring Status List v1.0): lists shared by
-- every session, so a verifier fetching one learns nothing of which credential it checks (herd
-- privacy). kind is the form credentials reference: token-jwt (SD-JWT VC), token-cwt (mdoc MSO)
-- or bitstring (jwt_vc_json).
CREATE TABLE status_lists (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  -- Lists of a kind are numbered; new credentials go to the highest. Nodes (or requests) that
  -- start a list at once all insert the same number, one lands and all use it.
  generation INTEGER NOT NULL,
  bits INTEGER NOT NULL,
  size INTEGER NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX status_lists_generation ON status_lists (kind, generation);

-- One entry per index handed out. An index is reserved when it is signed into a credential (the
-- primary key makes a double allocation impossible); credential_id is set once the credential is
-- handed out. status: 0 valid, 1 invalid (revoked), 2 suspended.
CREATE TABLE status_entries (
  list_id TEXT NOT NULL REFERENCES status_lists (id),
  idx INTEGER NOT NULL,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  credential_id TEXT,
  status INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (list_id, idx)
) STRICT, WITHOUT ROWID;
CREATE INDEX status_entries_session ON status_entries (session_id);
CREATE UNIQUE INDEX status_entries_credential ON status_entries (credential_id) WHERE credential_id IS NOT NULL;

-- The issuer's key for encrypted credential requests (OID4VCI 1.0 Sections 10, 12.2.4): one in
-- the 'current' slot, whichever of several starting nodes inserted first.
CREATE TABLE request_encryption_keys (
  slot TEXT PRIMARY KEY,
  kid TEXT NOT NULL,
  private_jwk TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
