// Server-Sent Events: new log records (rendered by the same partial as the page) and session snapshots, pushed
// whenever the store announces a change. public/live.js applies them; a reload link is the fallback.
// Streams are bounded: per client and in total, by the bytes a slow client leaves unread, and a
// reconnect catches up at most one page of records.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProtocolError } from '../diagnostics/index.ts';
import type { LogEntry, LogFilter } from '../domain/log.ts';
import { drained, isStreamRefusal, StreamRegistry, writeWithBackpressure } from '../http/stream-limits.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { loadLogContext, logEntryView } from './log-entry-view.ts';
import { logFilterFrom } from './log-list-view.ts';
import { LOG_PAGE_SIZE } from './paging.ts';
import { buildSessionSummary, type SessionQuery } from './session-view.ts';

type StreamQuery = { Querystring: SessionQuery & { after?: string } };
const HEARTBEAT_MS = 25_000;
// Bursts of changes (one request writes several records) become one push.
const COALESCE_MS = 30;
// PostgreSQL nodes may commit records with lower ids after higher ones: re-read this window for them.
const LATE_COMMIT_WINDOW_MS = 10_000;
const SENT_MEMORY = 1000;
// A client that has not read what it was sent for this long loses its stream.
const DRAIN_TIMEOUT_MS = 10_000;

/** Open streams of one app, closed before its server closes: Fastify would otherwise wait on them forever. */
type OpenStreams = Set<() => void>;

interface StreamSource {
  scope: string | null;
  filter: LogFilter;
  afterId: number;
  /** Extra events to send after new records, e.g. the session's status and timeline. */
  snapshot?: () => Promise<Record<string, unknown> | null>;
}

interface StreamSettings {
  registry: StreamRegistry;
  maxBufferedBytes: number;
  openStreams: OpenStreams;
}

function startStream(
  app: FastifyInstance,
  deps: AppDeps,
  settings: StreamSettings,
  request: FastifyRequest,
  reply: FastifyReply,
  source: StreamSource,
): void {
  const ticket = settings.registry.tryOpen(request.ip);
  if (isStreamRefusal(ticket))
    throw new ProtocolError(
      'HTTP.too_many_streams',
      ticket.refused === 'per_client'
        ? 'this client has too many open live streams'
        : 'the server has too many open live streams',
    );
  const diagnosticsHref = `${request.issuer.basePath}/diagnostics`;
  let lastId = source.afterId;
  const sent = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let pushing = Promise.resolve();
  let open = true;
  // A client that stops reading is dropped rather than buffered without limit.
  const write = (chunk: string) => {
    if (open && !writeWithBackpressure(reply.raw, chunk, settings.maxBufferedBytes)) close();
  };
  const send = (event: string, data: unknown, id?: number) =>
    write(`event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);

  // Records older than the first catch-up page stay unsent, also when they show up as late commits:
  // a reconnect from id 0 gets one page, never everything.
  let floor: number | null = source.afterId > 0 ? source.afterId : null;
  const unsent = async (): Promise<LogEntry[]> => {
    const page = await deps.store.logs.filteredPage(source.scope, { ...source.filter, afterId: lastId }, LOG_PAGE_SIZE, 0);
    floor ??= page.entries.length > 0 ? Math.min(...page.entries.map((e) => e.id)) - 1 : 0;
    const late =
      deps.store.engine === 'postgres'
        ? await deps.store.logs.since(source.scope, source.filter, deps.now() - LATE_COMMIT_WINDOW_MS, LOG_PAGE_SIZE)
        : [];
    const fresh = new Map(
      [...page.entries.reverse(), ...late].filter((e) => !sent.has(e.id) && e.id > floor!).map((e) => [e.id, e]),
    );
    return [...fresh.values()].sort((a, b) => a.id - b.id);
  };
  const push = async () => {
    const entries = await unsent();
    const context = await loadLogContext(deps.store, entries, diagnosticsHref, deps.now());
    for (const entry of entries) {
      const view = logEntryView(entry, context);
      const html = await app.view('partials/log-entry', { fragment: true, ...view });
      lastId = Math.max(lastId, entry.id);
      sent.add(entry.id);
      if (sent.size > SENT_MEMORY) sent.delete(sent.values().next().value!);
      send('log', { id: entry.id, html, ...(view.aggregate ? { aggregate: view.aggregate } : {}) }, lastId);
      if (!(await drained(reply.raw, DRAIN_TIMEOUT_MS))) return close();
    }
    const snapshot = await source.snapshot?.();
    if (snapshot) send('session', snapshot);
  };
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      pushing = pushing.then(push).catch((error: unknown) => request.log.error({ err: error }, 'live update failed'));
    }, COALESCE_MS);
  };
  const onChange = (changed: string | null) => {
    if (changed === source.scope) schedule();
  };

  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-accel-buffering': 'no',
  });
  write('retry: 3000\n\n');
  const heartbeat = setInterval(() => write(': keep-alive\n\n'), HEARTBEAT_MS);
  function close() {
    if (!open) return;
    open = false;
    deps.store.changes.off('change', onChange);
    clearInterval(heartbeat);
    clearTimeout(timer);
    settings.openStreams.delete(close);
    settings.registry.close(ticket as Exclude<typeof ticket, { refused: unknown }>);
    if (!reply.raw.destroyed) reply.raw.end();
  }
  settings.openStreams.add(close);
  deps.store.changes.on('change', onChange);
  request.raw.on('close', close);
  reply.raw.on('error', close);
  schedule(); // catch up on what happened between rendering the page and connecting
}

/** Where a reconnecting EventSource resumes: its Last-Event-ID, else the newest record the page showed. */
function afterIdOf(request: FastifyRequest<StreamQuery>): number {
  const n = Number(request.headers['last-event-id'] ?? request.query.after ?? 0);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}

/** HEAD (and a client probing the URL) gets the stream's headers at once, never a stream. */
function headOnly(request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  if (request.method !== 'HEAD') return undefined;
  return reply.header('cache-control', 'no-store').type('text/event-stream; charset=utf-8').send();
}

export function registerLiveUpdates(app: FastifyInstance, deps: AppDeps): void {
  const settings: StreamSettings = {
    registry: new StreamRegistry(deps.config.liveStreams),
    maxBufferedBytes: deps.config.liveStreams.bufferKib * 1024,
    openStreams: new Set(),
  };
  app.addHook('preClose', async () => {
    for (const close of [...settings.openStreams]) close();
  });

  app.get<StreamQuery & { Params: { sessionId: string } }>('/sessions/:sessionId/events', async (request, reply) => {
    const sessionId = request.params.sessionId;
    if (!(await deps.store.sessions.get(sessionId))) return reply.code(404).send({ error: 'not_found' });
    const head = headOnly(request, reply);
    if (head) return head;
    const filter = logFilterFrom(request.query, await deps.store.logs.endpoints(sessionId));
    const snapshot = async () => {
      const view = await buildSessionSummary(deps.store, request.issuer, sessionId, request.query, deps.now());
      if (!view) return null;
      const render = (partial: string) => app.view(partial, { fragment: true, ...view });
      return {
        status: view.session.status,
        logTotal: await deps.store.logs.count(sessionId, filter),
        // The Supply Claims form needs the CSRF cookie of a full page load, so the page reloads for it.
        pendingClaims: (await deps.store.deferred.pendingForSession(sessionId)).length,
        fragments: {
          timeline: await render('partials/timeline'),
          report: await render('partials/report'),
          events: await render('partials/events'),
          'last-activity': await render('partials/last-activity'),
        },
      };
    };
    startStream(app, deps, settings, request, reply, { scope: sessionId, filter, afterId: afterIdOf(request), snapshot });
    return reply;
  });

  app.get<StreamQuery>('/logs/events', { config: { operator: true } }, async (request, reply) => {
    const head = headOnly(request, reply);
    if (head) return head;
    const filter = logFilterFrom(request.query, await deps.store.logs.endpoints(null));
    startStream(app, deps, settings, request, reply, { scope: null, filter, afterId: afterIdOf(request) });
    return reply;
  });
}
