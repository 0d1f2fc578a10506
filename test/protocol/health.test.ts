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
    const body = (await res.json()) as { warnings: string[] };
    assert.deepEqual(body, { status: 'ok', engine: TEST_ENGINE, database: 'ok', warnings: [body.warnings[0]] });
    assert.match(
      body.warnings[0]!,
      /PUBLIC_URL http:\/\/127\.0\.0\.1:\d+ is not https.*Section 12\.2\.1/,
      'an http issuer identifier is named',
    );
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
