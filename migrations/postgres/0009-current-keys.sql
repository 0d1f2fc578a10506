-- Nodes starting together on an empty database each create keys; the first insert into the
-- 'current' slot wins and everyone reads that row. Ordering by created_at could not decide: a node
-- may stamp its key earlier and insert it later than another node read the table.
ALTER TABLE issuer_keys ADD COLUMN slot TEXT;
UPDATE issuer_keys SET slot = 'current' WHERE kid = (SELECT kid FROM issuer_keys ORDER BY created_at, kid LIMIT 1);
CREATE UNIQUE INDEX issuer_keys_slot ON issuer_keys (slot);

ALTER TABLE test_attester_keys ADD COLUMN slot TEXT;
UPDATE test_attester_keys SET slot = 'current' WHERE id = (SELECT id FROM test_attester_keys ORDER BY created_at, id LIMIT 1);
CREATE UNIQUE INDEX test_attester_keys_slot ON test_attester_keys (slot);
