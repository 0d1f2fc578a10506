// Rate limits over real sockets from distinct loopback addresses: the N+1th request of one client
// gets 429 with Retry-After and an OAuth-shaped body; other clients and other budgets are unaffected.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { RATE_LIMIT_ERROR, registerRateLimits } from '../../src/http/rate-limits.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
}

function send(
  origin: URL,
  method: string,
  path: string,
  from: { localAddress?: string; forwardedFor?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = from.forwardedFor ? { 'x-forwarded-for': from.forwardedFor } : {};
    const req = request(
      { host: origin.hostname, port: origin.port, method, path, headers, localAddress: from.localAddress, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) as Record<string, unknown> }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function startApp(trustProxy: boolean): Promise<{ app: FastifyInstance; origin: URL }> {
  const app = Fastify({ trustProxy });
  const limits = await registerRateLimits(app, { wallet: 3, offerCreation: 2, managementWrite: 1 });
  await app.register(async (wallet) => {
    wallet.addHook('onRequest', limits.wallet);
    wallet.get('/nonce', async () => ({ ok: 'nonce' }));
    wallet.get('/credential', async () => ({ ok: 'credential' }));
    wallet.post('/credential_offers', { onRequest: [limits.offerCreation] }, async () => ({ ok: 'offer' }));
  });
  app.post('/api/trust-anchors', { onRequest: [limits.managementWrite] }, async () => ({ ok: 'anchor' }));
  return { app, origin: new URL(await app.listen({ port: 0, host: '127.0.0.1' })) };
}

describe('registerRateLimits', () => {
  let app: FastifyInstance;
  let origin: URL;
  const alice = { localAddress: '127.0.0.2' };
  const bob = { localAddress: '127.0.0.3' };

  before(async () => ({ app, origin } = await startApp(false)));
  after(() => app.close());

  it('answers the N+1th wallet request of one address with 429, Retry-After and an OAuth error body', async () => {
    // One budget across the scope: three different wallet endpoints share it.
    for (const path of ['/nonce', '/credential', '/nonce']) assert.equal((await send(origin, 'GET', path, alice)).status, 200);
    const refused = await send(origin, 'GET', '/credential', alice);
    assert.equal(refused.status, 429);
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(refused.headers['cache-control'], 'no-store');
    assert.match(String(refused.headers['content-type']), /^application\/json/);
    assert.deepEqual(refused.body, {
      error: RATE_LIMIT_ERROR,
      error_description: `More than 3 requests to the wallet endpoints a minute from this address; retry after ${retryAfter} s.`,
    });
  });

  it('leaves other addresses their own budget', async () => {
    assert.equal((await send(origin, 'GET', '/nonce', bob)).status, 200);
  });

  it('counts offer creation and management writes in budgets of their own', async () => {
    const carol = { localAddress: '127.0.0.4' };
    const offers = [];
    for (let i = 0; i < 3; i++) offers.push(await send(origin, 'POST', '/credential_offers', carol));
    // The third is within carol's wallet budget of 3 but over her offer budget of 2.
    assert.deepEqual(
      offers.map((o) => o.status),
      [200, 200, 429],
    );
    assert.match(String(offers[2]!.body.error_description), /^More than 2 credential offers created a minute/);

    const anchors = [
      await send(origin, 'POST', '/api/trust-anchors', bob),
      await send(origin, 'POST', '/api/trust-anchors', bob),
    ];
    assert.deepEqual(
      anchors.map((a) => a.status),
      [200, 429],
    );
    assert.match(String(anchors[1]!.body.error_description), /^More than 1 changes through the console and its API a minute/);
    assert.equal((await send(origin, 'GET', '/nonce', bob)).status, 200, "management writes leave bob's wallet budget alone");
  });
});

describe('registerRateLimits behind a trusted proxy', () => {
  let app: FastifyInstance;
  let origin: URL;
  before(async () => ({ app, origin } = await startApp(true)));
  after(() => app.close());

  it('keys on the forwarded client address, not on the proxy', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await send(origin, 'GET', '/nonce', { forwardedFor: '198.51.100.1' })).status, 200);
    assert.equal((await send(origin, 'GET', '/nonce', { forwardedFor: '198.51.100.1' })).status, 429);
    assert.equal((await send(origin, 'GET', '/nonce', { forwardedFor: '198.51.100.2' })).status, 200);
  });
});
