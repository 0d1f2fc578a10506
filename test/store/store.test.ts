// The store on a real SQLite file: migrations, persisted keys, single-use state changes.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadOrCreateIssuerKey } from '../../src/issuance/keys.ts';
import { openStore } from '../../src/store/index.ts';

describe('store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oid4vci-store-'));
  const path = join(dir, 'p.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates once, uses WAL and foreign keys, and keeps the issuer key across restarts', async () => {
    const first = openStore(path);
    const version = first.db.pragma('user_version', { simple: true });
    assert.ok(Number(version) >= 1);
    assert.equal(first.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.db.pragma('foreign_keys', { simple: true }), 1);
    const key = await loadOrCreateIssuerKey(first, Date.now());
    first.close();
    const second = openStore(path);
    assert.equal(second.db.pragma('user_version', { simple: true }), version);
    const again = await loadOrCreateIssuerKey(second, Date.now());
    assert.equal(again.kid, key.kid);
    assert.deepEqual(again.x5c, key.x5c);
    second.close();
  });

  it('redeems a code and consumes a c_nonce exactly once; a failed transaction leaves nothing behind', () => {
    const store = openStore(path);
    const now = Date.now();
    const options = { require_dpop: true, dpop_nonce: false, require_key_attestation: false as const, require_wallet_attestation: false, strict: false, claims: {}, trust_anchors: [] };
    store.sessions.insert({ id: 's1', status: 'offer_created', grant_type: 'g', credential_configuration_ids: ['x'], options, created_at: now, updated_at: now });
    store.codes.insert('code', 's1', null, now + 60_000);
    assert.equal(store.codes.redeem('code', now), true);
    assert.equal(store.codes.redeem('code', now), false);
    store.nonces.issueCNonce('n', now, 60_000);
    assert.equal(store.nonces.consumeCNonce('n', now), true);
    assert.equal(store.nonces.consumeCNonce('n', now), false);

    assert.throws(() =>
      store.transaction(() => {
        store.sessions.advance('s1', 'token_exchanged', now);
        store.events.add('s1', 'token_exchanged', {}, now);
        throw new Error('crash mid-way');
      }),
    );
    assert.equal(store.sessions.get('s1')!.status, 'offer_created');
    assert.equal(store.events.list('s1').length, 0);
    assert.equal(store.sessions.advance('s1', 'credential_issued', now), true);
    assert.equal(store.sessions.advance('s1', 'offer_retrieved', now), false, 'status never moves backwards');
    store.close();
  });
});
