// Status list entries on the run's engine: concurrent reservations never share an index, a taken
// index cannot be reserved again, statuses change only for the session's own credential, and a
// session's entries go with it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SessionOptions } from '../../src/domain/session.ts';
import { reserveStatusIndex, tokenStatusList } from '../../src/issuance/status.ts';
import type { Store } from '../../src/store/index.ts';
import { rawSql, scratchStore, TEST_ENGINE } from '../support/server.ts';

const OPTIONS: SessionOptions = {
  require_dpop: true,
  dpop_nonce: false,
  require_key_attestation: false,
  require_wallet_attestation: false,
  strict: false,
  claims: {},
  trust_anchors: [],
};
const CONCURRENCY = 50;

describe(`status list entries (${TEST_ENGINE})`, () => {
  let scratch: Awaited<ReturnType<typeof scratchStore>>;
  let store: Store;
  before(async () => {
    scratch = await scratchStore();
    store = scratch.store;
    for (const id of ['s-a', 's-b']) {
      await store.sessions.insert(
        {
          id,
          status: 'offer_created',
          grant_type: 'g',
          credential_configuration_ids: ['x'],
          options: OPTIONS,
          created_at: 1,
          updated_at: 1,
        },
        null,
      );
    }
  });
  after(() => scratch.close());

  it(`TSL Section 13.3: ${CONCURRENCY} concurrent reservations get ${CONCURRENCY} distinct indexes of one list, none reserved twice`, async () => {
    const refs = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => reserveStatusIndex(store, 'token-jwt', 's-a', Date.now())),
    );
    assert.equal(new Set(refs.map((r) => r.list_id)).size, 1, 'requests starting the first list at once all end on one list');
    assert.equal(new Set(refs.map((r) => `${r.list_id}#${r.idx}`)).size, CONCURRENCY);
    assert.equal(
      await store.statusLists.reserve(refs[0]!.list_id, refs[0]!.idx, 's-b', Date.now()),
      false,
      'a taken index stays taken',
    );
  });

  it('statuses change for the credential of the session only, and the list shows them', async () => {
    const ref = await reserveStatusIndex(store, 'token-jwt', 's-a', Date.now());
    assert.equal(
      await store.statusLists.attach(ref.list_id, ref.idx, 's-b', 'c-1'),
      false,
      'another session cannot claim the entry',
    );
    assert.equal(await store.statusLists.attach(ref.list_id, ref.idx, 's-a', 'c-1'), true);
    assert.equal(await store.statusLists.setStatus('s-b', 'c-1', 1, Date.now()), false);
    assert.equal(await store.statusLists.setStatus('s-a', 'c-1', 2, Date.now()), true);
    const list = (await store.statusLists.getList(ref.list_id))!;
    assert.equal((await tokenStatusList(store, list)).get(ref.idx), 2);
  });

  it("a session's entries are deleted with it", async () => {
    await rawSql(scratch.env, "DELETE FROM sessions WHERE id = 's-a'");
    const left = await rawSql(scratch.env, "SELECT COUNT(*) AS n FROM status_entries WHERE session_id = 's-a'");
    assert.equal(Number(left[0]!.n), 0);
  });
});
