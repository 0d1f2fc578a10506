import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/index.ts';
import type { LogLevel, NewLogEntry } from '../domain/log.ts';
import { decodeCompactJwt } from '../checks/jose-helpers.ts';

/**
 * What happened while serving one wallet request. Entries are collected in
 * memory and written in one batch when the response is sent, so they carry
 * the session id even when it is learnt late (from a token or a code).
 */
export class Trail {
  sessionId: string | null = null;
  /** 'Bearer' when the presented token is a Bearer token; picks the WWW-Authenticate scheme. */
  tokenType: 'DPoP' | 'Bearer' = 'DPoP';
  readonly entries: Array<{ level: LogLevel; message: string; data: Record<string, unknown>; at: number }> = [];

  readonly startedAt: number;
  private readonly now: () => number;

  constructor(now: () => number) {
    this.now = now;
    this.startedAt = now();
  }

  /** Set when this request repeats an earlier one and should update that entry instead of adding entries. */
  aggregate: { key: string; build: AggregateBuilder } | undefined;

  note(level: LogLevel, message: string, data: Record<string, unknown> = {}): void {
    this.entries.push({ level, message, data, at: this.now() });
  }

  aggregateAs(key: string, build: AggregateBuilder): void {
    this.aggregate = { key, build };
  }
}

export type AggregateBuilder = (previous: Record<string, unknown> | undefined) => { level: LogLevel; message: string; data: Record<string, unknown> };

/** Shows enough of a secret to recognise it in a log, never enough to use it. */
export function redactSecret(value: string): string {
  return value.length <= 12 ? '…' : `${value.slice(0, 6)}…${value.slice(-4)}`;
}

export function redactedHeaders(headers: FastifyRequest['headers']): Record<string, unknown> {
  const out: Record<string, unknown> = { ...headers };
  const auth = headers.authorization;
  if (typeof auth === 'string') {
    const [scheme, token] = auth.split(/\s+/, 2);
    out.authorization = token ? `${scheme} ${redactSecret(token)}` : redactSecret(auth);
  }
  return out;
}

/** JWTs a wallet sent in headers, decoded for the log (signatures are left out). */
function decodedHeaderJwts(headers: FastifyRequest['headers']): Array<Record<string, unknown>> {
  const jwts: Array<Record<string, unknown>> = [];
  const dpop = headers.dpop;
  for (const value of Array.isArray(dpop) ? dpop : dpop ? [dpop] : []) {
    const decoded = decodeCompactJwt(value);
    if (decoded) jwts.push({ label: 'DPoP proof', ...decoded });
  }
  return jwts;
}

/** Writes what this request left in its trail: an aggregate update, or its own entries. */
export async function flushTrail(store: Store, request: FastifyRequest, reply: FastifyReply, endpoint: string): Promise<void> {
  const { trail } = request;
  if (trail.aggregate && reply.statusCode < 400) {
    const { key, build } = trail.aggregate;
    await store.transaction(async (tx) => {
      const previous = await tx.logs.aggregate(key);
      await tx.logs.replaceAggregate(key, { session_id: trail.sessionId, endpoint, created_at: trail.startedAt, ...build(previous?.data) });
    });
    return;
  }
  // Successful requests tied to no session (metadata-like traffic) would only bury the /logs stream.
  if (trail.sessionId !== null || reply.statusCode >= 400) await store.logs.write(trailEntries(request, reply, endpoint));
}

function trailEntries(request: FastifyRequest, reply: FastifyReply, endpoint: string): NewLogEntry[] {
  const trail = request.trail;
  const jwts = decodedHeaderJwts(request.headers);
  const received: NewLogEntry = {
    session_id: trail.sessionId,
    level: 'info',
    endpoint,
    message: `${request.method} ${endpoint} received`,
    data: {
      method: request.method,
      url: request.url,
      headers: redactedHeaders(request.headers),
      ...(request.body !== undefined ? { body: request.body } : {}),
      ...(jwts.length > 0 ? { jwts } : {}),
      response_status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
    },
    created_at: trail.startedAt,
  };
  return [
    received,
    ...trail.entries.map((e) => ({ session_id: trail.sessionId, level: e.level, endpoint, message: e.message, data: e.data, created_at: e.at })),
  ];
}
