// Open streams are counted per client and in total; a client that stops reading loses its stream
// once its unsent bytes pass the limit, so the server's memory for it stays bounded.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { describe, it } from 'node:test';
import {
  type BufferedWritable,
  isStreamRefusal,
  StreamRegistry,
  type StreamTicket,
  writeWithBackpressure,
} from '../../src/http/stream-limits.ts';

describe('StreamRegistry', () => {
  const admitted = (result: ReturnType<StreamRegistry['tryOpen']>): StreamTicket => {
    assert.ok(!isStreamRefusal(result), 'admitted');
    return result;
  };

  it('refuses a client over its own limit while others still get streams', () => {
    const registry = new StreamRegistry({ perClient: 2, total: 10 });
    admitted(registry.tryOpen('a'));
    admitted(registry.tryOpen('a'));
    assert.deepEqual(registry.tryOpen('a'), { refused: 'per_client' });
    admitted(registry.tryOpen('b'));
    assert.equal(registry.openFor('a'), 2);
    assert.equal(registry.totalOpen, 3);
  });

  it('refuses everyone once the total is reached', () => {
    const registry = new StreamRegistry({ perClient: 5, total: 3 });
    for (const client of ['a', 'b', 'c']) admitted(registry.tryOpen(client));
    assert.deepEqual(registry.tryOpen('d'), { refused: 'total' });
  });

  it('frees the place on close, once per ticket however often close is called', () => {
    const registry = new StreamRegistry({ perClient: 1, total: 2 });
    const first = admitted(registry.tryOpen('a'));
    const other = admitted(registry.tryOpen('b'));
    registry.close(first);
    registry.close(first);
    assert.equal(registry.openFor('a'), 0);
    assert.equal(registry.openFor('b'), 1);
    assert.equal(registry.totalOpen, 1);
    admitted(registry.tryOpen('a'));
    registry.close(other);
    assert.equal(registry.totalOpen, 1);
  });
});

describe('writeWithBackpressure with a fake writable', () => {
  function fake(accepts: boolean, buffered: number) {
    const sink = { writes: [] as string[], destroyed: false, writableLength: buffered };
    const res: BufferedWritable = {
      write(chunk) {
        sink.writes.push(chunk);
        return accepts;
      },
      get writableLength() {
        return sink.writableLength;
      },
      get destroyed() {
        return sink.destroyed;
      },
      destroy() {
        sink.destroyed = true;
      },
    };
    return { res, sink };
  }

  // Bytes unsent after the write, this chunk's 9 included: only what waited before it counts.
  const CHUNK = Buffer.byteLength('data: x\n\n');
  const rows: Array<[string, boolean, number, boolean]> = [
    ['write accepted', true, 0, true],
    ['write accepted although much is buffered', true, 10_000, true],
    ['ordinary backpressure under the limit', false, 1000 + CHUNK, true],
    ['backpressure exactly at the limit', false, 1024 + CHUNK, true],
    ['backpressure over the limit', false, 1025 + CHUNK, false],
    ['backpressure with nothing but this chunk unsent', false, CHUNK, true],
  ];
  for (const [name, accepts, buffered, open] of rows) {
    it(`${name}: ${open ? 'keeps' : 'destroys'} the stream`, () => {
      const { res, sink } = fake(accepts, buffered);
      assert.equal(writeWithBackpressure(res, 'data: x\n\n', 1024), open);
      assert.deepEqual(sink.writes, ['data: x\n\n']);
      assert.equal(sink.destroyed, !open);
    });
  }

  it('writes nothing to a destroyed stream', () => {
    const { res, sink } = fake(true, 0);
    sink.destroyed = true;
    assert.equal(writeWithBackpressure(res, 'data: x\n\n', 1024), false);
    assert.deepEqual(sink.writes, []);
  });
});

describe('writeWithBackpressure on a real socket', () => {
  it('closes the stream of a client that never reads once its buffer passes the limit', async () => {
    const limit = 256 * 1024;
    const chunk = `data: ${'x'.repeat(16 * 1024)}\n\n`;
    // Far more than the kernel's socket buffers can hold, so the limit must act before the loop ends.
    const maxChunks = 20_000;
    let settle!: (outcome: { chunks: number; peakBuffered: number; destroyed: boolean }) => void;
    const outcome = new Promise<{ chunks: number; peakBuffered: number; destroyed: boolean }>((resolve) => (settle = resolve));

    const server = createServer((_request, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let chunks = 0;
      let peakBuffered = 0;
      const pump = () => {
        const open = writeWithBackpressure(res, chunk, limit);
        chunks += 1;
        peakBuffered = Math.max(peakBuffered, res.writableLength);
        if (open && chunks < maxChunks) setImmediate(pump);
        else settle({ chunks, peakBuffered, destroyed: res.destroyed });
      };
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    const client = connect(port, '127.0.0.1');
    client.write('GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    client.pause();

    const { chunks, peakBuffered, destroyed } = await outcome;
    assert.equal(destroyed, true);
    assert.ok(chunks < maxChunks, `stopped after ${chunks} chunks`);
    // At most the limit waiting, the chunk it let through, and the chunk whose write found it over the limit.
    assert.ok(peakBuffered <= limit + 2 * Buffer.byteLength(chunk), `peak ${peakBuffered} bytes buffered`);

    // The client, reading again, sees the connection end.
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.on('error', () => {});
    client.resume();
    await closed;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});
