// The environment is validated in one place and every problem is reported at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('loadConfig', () => {
  it('applies the embedded defaults', () => {
    const config = loadConfig({});
    assert.deepEqual(config, { port: 3000, host: '0.0.0.0', publicUrl: 'http://localhost:3000', databasePath: './data/playground.db', logLevel: 'info', trustProxy: false, trustAnchorsDir: null, testAttesterTrusted: true });
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

  it('OFF-03: refuses a PUBLIC_URL with a query or fragment', () => {
    assert.throws(() => loadConfig({ PUBLIC_URL: 'https://issuer.example/?x=1' }), /PUBLIC_URL/);
    assert.throws(() => loadConfig({ PUBLIC_URL: 'not a url' }), /PUBLIC_URL/);
  });
});
