// The environment is validated in one place and every problem is reported at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const config = loadConfig({});
    assert.deepEqual(config, {
      port: 3000,
      host: '0.0.0.0',
      publicUrl: 'http://localhost:3000',
      database: { engine: 'sqlite', path: './data/playground.db' },
      logLevel: 'info',
      trustProxy: false,
      trustAnchorsDir: null,
      testAttesterTrusted: true,
      logClientIps: false,
      liveStreams: { perClient: 8, total: 200, bufferKib: 256 },
      adminToken: null,
      offerCreation: 'open',
      walletInitiated: 'tester',
      maxAttestationAgeSeconds: undefined,
      rateLimits: { wallet: 600, offerCreation: 30, managementWrite: 60 },
      retention: { hours: 168, unattributedLogMaxRows: 10_000, pruneIntervalSeconds: 600 },
    });
  });

  it('derives PUBLIC_URL from PORT and strips a trailing slash', () => {
    assert.equal(loadConfig({ PORT: '8080' }).publicUrl, 'http://localhost:8080');
    assert.equal(loadConfig({ PUBLIC_URL: 'https://issuer.example/tenant/' }).publicUrl, 'https://issuer.example/tenant');
  });

  it('parses TRUST_PROXY forms', () => {
    assert.equal(loadConfig({ TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy, '10.0.0.0/8, 127.0.0.1');
  });

  it('lists every problem in one error', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /PORT/);
        assert.match(error.message, /LOG_LEVEL/);
        assert.match(error.message, /TRUST_PROXY/);
        return true;
      },
    );
  });

  it('reports PUBLIC_URL problems together with the others', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', PUBLIC_URL: 'ftp://issuer.example' }),
      (error: Error) => /PORT/.test(error.message) && /PUBLIC_URL/.test(error.message),
    );
  });

  it('DATABASE_URL selects PostgreSQL with pool, timeout, TLS and schema settings', () => {
    const { database } = loadConfig({
      DATABASE_URL: 'postgres://u:p@db.example:5433/play',
      DATABASE_POOL_SIZE: '4',
      DATABASE_STATEMENT_TIMEOUT_MS: '2500',
      DATABASE_SSL: 'verify-full',
      DATABASE_SCHEMA: 'node_a',
    });
    assert.deepEqual(database, {
      engine: 'postgres',
      url: 'postgres://u:p@db.example:5433/play',
      poolSize: 4,
      statementTimeoutMs: 2500,
      ssl: 'verify-full',
      schema: 'node_a',
    });
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'mysql://x', DATABASE_SSL: 'maybe', DATABASE_SCHEMA: 'Drop Table' }),
      (error: Error) => ['DATABASE_URL', 'DATABASE_SSL', 'DATABASE_SCHEMA'].every((name) => error.message.includes(name)),
    );
  });

  it('reads the retention settings and lists each invalid one', () => {
    assert.deepEqual(
      loadConfig({ RETENTION_HOURS: '24', UNATTRIBUTED_LOG_MAX_ROWS: '500', PRUNE_INTERVAL_SECONDS: '60' }).retention,
      { hours: 24, unattributedLogMaxRows: 500, pruneIntervalSeconds: 60 },
    );
    assert.throws(
      () => loadConfig({ RETENTION_HOURS: '0', UNATTRIBUTED_LOG_MAX_ROWS: 'many', PRUNE_INTERVAL_SECONDS: '1.5' }),
      (error: Error) =>
        ['RETENTION_HOURS', 'UNATTRIBUTED_LOG_MAX_ROWS', 'PRUNE_INTERVAL_SECONDS'].every((name) => error.message.includes(name)),
    );
    assert.throws(() => loadConfig({ RETENTION_HOURS: '87601' }), /RETENTION_HOURS/);
  });

  it('OFF-03: refuses a PUBLIC_URL with a query or fragment', () => {
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://issuer.example/?x=1' }), /PUBLIC_URL/);
    assert.throws(() => loadConfig({ PUBLIC_URL: 'not a url' }), /PUBLIC_URL/);
  });
});
