// /healthz names the engine and fails (503) as soon as the database stops answering.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, TEST_ENGINE, type TestServer } from '../support/server.ts';

describe('health check', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  it('reports the engine and a database that answers', async () => {
    const res = await fetch(`${server.origin}/healthz`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await res.json(), { status: 'ok', engine: TEST_ENGINE, database: 'ok' });
  });

  it('answers 503 when the database does not answer', async () => {
    await server.store.close();
    const res = await fetch(`${server.origin}/healthz`);
    assert.equal(res.status, 503);
    const body = (await res.json()) as { status: string; engine: string; database: string };
    assert.equal(body.status, 'unavailable');
    assert.equal(body.engine, TEST_ENGINE);
    assert.notEqual(body.database, 'ok');
  });
});
