// Server-Sent-Event streams stay open for as long as a browser tab does, so each one is a socket and
// a buffer held on the server. Both are bounded: a number of streams per client and in total, and a
// number of unsent bytes per stream, past which a client that does not read loses its stream.

export interface StreamLimits {
  /** Open streams one client (its address) may hold. */
  perClient: number;
  /** Open streams across all clients. */
  total: number;
}

/** Proof that a stream was admitted; hand it back to close(). */
export interface StreamTicket {
  readonly clientKey: string;
}

export interface StreamRefusal {
  refused: 'per_client' | 'total';
}

export const isStreamRefusal = (result: StreamTicket | StreamRefusal): result is StreamRefusal => 'refused' in result;

export class StreamRegistry {
  private readonly limits: StreamLimits;
  private readonly open = new Set<StreamTicket>();
  private readonly openPerClient = new Map<string, number>();

  constructor(limits: StreamLimits) {
    this.limits = limits;
  }

  tryOpen(clientKey: string): StreamTicket | StreamRefusal {
    const ofClient = this.openPerClient.get(clientKey) ?? 0;
    if (ofClient >= this.limits.perClient) return { refused: 'per_client' };
    if (this.open.size >= this.limits.total) return { refused: 'total' };
    const ticket: StreamTicket = Object.freeze({ clientKey });
    this.open.add(ticket);
    this.openPerClient.set(clientKey, ofClient + 1);
    return ticket;
  }

  /** Idempotent: a stream's close and error events may both arrive. */
  close(ticket: StreamTicket): void {
    if (!this.open.delete(ticket)) return;
    const left = (this.openPerClient.get(ticket.clientKey) ?? 1) - 1;
    if (left === 0) this.openPerClient.delete(ticket.clientKey);
    else this.openPerClient.set(ticket.clientKey, left);
  }

  get totalOpen(): number {
    return this.open.size;
  }

  openFor(clientKey: string): number {
    return this.openPerClient.get(clientKey) ?? 0;
  }
}

/** The part of http.ServerResponse the policy needs; writableLength counts the socket's unsent bytes too. */
export interface BufferedWritable {
  write(chunk: string): boolean;
  readonly writableLength: number;
  readonly destroyed: boolean;
  destroy(): void;
}

/**
 * Writes one chunk. A false from write() is ordinary backpressure while the client reads slowly;
 * once more than maxBufferedBytes were already waiting unsent before this chunk, the stream is
 * destroyed (its buffer freed at once, where end() would wait for a client that may never read).
 * The chunk itself does not count: one entry larger than the limit still reaches a client that reads
 * (Node 24 keeps a large write in the stream's buffer where Node 20 hands it to the socket at once).
 * Returns whether the stream is still open.
 */
export function writeWithBackpressure(res: BufferedWritable, chunk: string, maxBufferedBytes: number): boolean {
  if (res.destroyed) return false;
  if (res.write(chunk) || res.writableLength - Buffer.byteLength(chunk) <= maxBufferedBytes) return true;
  res.destroy();
  return false;
}

/**
 * Waits until a stream that said "wait" (write() returned false) has sent its buffer, so a burst
 * (a page of entries on reconnect) never piles up beyond one chunk past the high-water mark. False
 * when the client did not read within timeoutMs or went away: then the stream is not worth keeping.
 */
export function drained(
  res: NodeJS.WritableStream & { writableNeedDrain: boolean; destroyed: boolean },
  timeoutMs: number,
): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  if (!res.writableNeedDrain) return Promise.resolve(true);
  return new Promise((resolve) => {
    const settle = (outcome: boolean) => {
      clearTimeout(timer);
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(outcome);
    };
    const onDrain = () => settle(true);
    const onClose = () => settle(false);
    const timer = setTimeout(() => settle(false), timeoutMs);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
