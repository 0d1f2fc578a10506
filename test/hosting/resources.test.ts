// Bounded resources against a real server: 100 live streams that never read while a wallet floods
// the session with large log entries leave the heap bounded and /healthz answering; slow streams are
// dropped (their places free again); HEAD on a stream answers at once; a reconnect from id 0 gets at
// most one page; a flood of wallet requests gets 429 with Retry-After, readable through CORS.
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { authorizedWallet, type CreatedOffer, credentialRequest } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';

const STREAMS = 100;
// Retained memory is what a slow client could pin: measured after a full collection, not the garbage in between.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const retainedHeap = () => {
  collectGarbage();
  return process.memoryUsage().heapUsed;
};
const LOG_PAGE_SIZE = 25;

/** An EventSource that never reads: the request goes out, then the socket is paused for good. */
function idleStream(server: TestServer, offer: CreatedOffer, lastEventId = 0): Promise<Socket> {
  const { hostname, port } = new URL(server.origin);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(
        `GET /sessions/${offer.session_id}/events HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n` +
          `Authorization: Bearer ${offer.session_token}\r\nLast-Event-ID: ${lastEventId}\r\n\r\n`,
      );
      socket.once('data', () => {
        socket.pause();
        resolve(socket);
      });
    });
    socket.once('error', reject);
  });
}

/** Reads a stream from id 0 until it has sent `expected` log events, then a little longer to see whether more come. */
async function logEventsFromZero(server: TestServer, offer: CreatedOffer, expected: number): Promise<number> {
  const controller = new AbortController();
  const open = () =>
    fetch(`${server.issuer}/sessions/${offer.session_id}/events`, {
      headers: { authorization: `Bearer ${offer.session_token}`, 'last-event-id': '0' },
      signal: controller.signal,
    });
  // Streams a previous test closed on its side may still hold their places for a moment (429).
  let response = await open();
  for (let attempt = 0; response.status === 429 && attempt < 50; attempt++) {
    await response.arrayBuffer();
    await sleep(100);
    response = await open();
  }
  assert.equal(response.status, 200);
  let text = '';
  const count = () => text.match(/^event: log$/gm)?.length ?? 0;
  const giveUp = setTimeout(() => controller.abort(), 20_000);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      if (count() >= expected) setTimeout(() => controller.abort(), 500);
    }
  } catch {
    // aborted
  }
  clearTimeout(giveUp);
  return count();
}

describe('bounded live streams', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({
      env: {
        LIVE_STREAMS_PER_CLIENT: String(STREAMS + 10),
        LIVE_STREAMS_TOTAL: String(STREAMS + 10),
        LIVE_STREAM_BUFFER_KIB: '64',
      },
    });
  });
  after(() => server?.close());

  it('100 never-reading streams and large log entries: heap bounded, slow streams dropped, /healthz answers', async () => {
    const wallet = await authorizedWallet(server);
    const streams = await Promise.all(Array.from({ length: STREAMS }, () => idleStream(server, wallet.offer)));
    const heapBefore = retainedHeap();
    // 150 refused credential requests with 60 KiB bodies: every one a log entry of the session, pushed to every stream.
    const big = { credential_configuration_id: 'x', padding: Array.from({ length: 600 }, (_, i) => `${i}`.padEnd(100, 'p')) };
    let healthChecks = 0;
    for (let round = 0; round < 15; round++) {
      await Promise.all(Array.from({ length: 10 }, () => credentialRequest(server, wallet, big).then((r) => r.arrayBuffer())));
      const health = await fetch(`${server.issuer}/healthz`);
      assert.equal(health.status, 200);
      healthChecks++;
    }
    await sleep(500);
    // Measured while the idle streams are still open: unbounded, every one would hold every rendered
    // entry (100 × 150 × several KiB, over a gigabyte).
    const growthMiB = (retainedHeap() - heapBefore) / 2 ** 20;
    assert.ok(growthMiB < 100, `retained heap grew by ${growthMiB.toFixed(0)} MiB`);
    assert.equal(healthChecks, 15);

    // The slow streams were dropped: a full set of new streams fits under the total again.
    for (const socket of streams) socket.destroy();
    await sleep(200);
    const again = await Promise.all(Array.from({ length: STREAMS }, () => idleStream(server, wallet.offer)));
    assert.equal(again.length, STREAMS);
    for (const socket of again) socket.destroy();
  });

  it('refuses a stream over the total with 429, and answers HEAD at once', async () => {
    const wallet = await authorizedWallet(server);
    const open = await Promise.all(Array.from({ length: STREAMS + 10 }, () => idleStream(server, wallet.offer)));
    const refused = await fetch(`${server.issuer}/sessions/${wallet.offer.session_id}/events`, {
      headers: { authorization: `Bearer ${wallet.offer.session_token}` },
    });
    assert.equal(refused.status, 429);
    assert.equal(((await refused.json()) as { error: string }).error, 'too_many_requests');
    for (const socket of open) socket.destroy();
    const head = await fetch(`${server.issuer}/sessions/${wallet.offer.session_id}/events`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${wallet.offer.session_token}` },
    });
    assert.equal(head.status, 200);
    assert.match(head.headers.get('content-type') ?? '', /text\/event-stream/);
  });

  it('a reconnect from id 0 catches up one page, not everything', async () => {
    const wallet = await authorizedWallet(server);
    for (let i = 0; i < 3 * LOG_PAGE_SIZE; i += 15) {
      await Promise.all(
        Array.from({ length: 15 }, () =>
          credentialRequest(server, wallet, { credential_configuration_id: 'unknown' }).then((r) => r.arrayBuffer()),
        ),
      );
    }
    assert.equal(await logEventsFromZero(server, wallet.offer, LOG_PAGE_SIZE), LOG_PAGE_SIZE);
  });
});

describe('rate limits on a real server', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer({ env: { RATE_LIMIT_WALLET: '20', RATE_LIMIT_OFFERS: '3' } });
  });
  after(() => server?.close());

  it('a flood of wallet requests gets 429 with Retry-After and an OAuth body, readable from a browser wallet', async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, () =>
        fetch(`${server.issuer}/nonce`, { method: 'POST', headers: { origin: 'https://wallet.example' } }),
      ),
    );
    const limited = answers.filter((r) => r.status === 429);
    assert.equal(answers.filter((r) => r.status === 200).length, 20);
    assert.equal(limited.length, 20);
    const first = limited[0]!;
    assert.match(first.headers.get('retry-after') ?? '', /^\d+$/);
    assert.equal(first.headers.get('access-control-allow-origin'), '*');
    assert.match(first.headers.get('access-control-expose-headers') ?? '', /Retry-After/i);
    const body = (await first.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'too_many_requests');
    assert.match(body.error_description, /\S/);
    for (const answer of answers) await answer.arrayBuffer().catch(() => {});
  });

  it('offer creation has a tighter budget of its own', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const answer = await fetch(`${server.issuer}/credential_offers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ credential_configuration_ids: ['eu.europa.ec.eudi.pid_vc_sd_jwt'] }),
      });
      statuses.push(answer.status);
      await answer.arrayBuffer();
    }
    assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
  });
});
