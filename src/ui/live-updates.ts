// Server-Sent Events: new log entries (rendered by the same partial as the page) and session snapshots, pushed
// whenever the store announces a change. public/live.js applies them; a reload link is the fallback.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../protocol/deps.ts';
import type { LogFilter } from '../domain/log.ts';
import { logEntryView } from './log-entry-view.ts';
import { logFilterFrom, type LogQuery } from './log-list-view.ts';
import { buildSessionView } from './session-view.ts';

type StreamQuery = { Querystring: LogQuery & { after?: string } };
const HEARTBEAT_MS = 25_000;
// Bursts of changes (one request writes several entries) become one push.
const COALESCE_MS = 30;

/** Open streams of one app, closed before its server closes: Fastify would otherwise wait on them forever. */
type OpenStreams = Set<() => void>;

interface StreamSource {
  scope: string | null;
  filter: LogFilter;
  afterId: number;
  /** Extra events to send after new entries, e.g. the session's status and timeline. */
  snapshot?: () => Promise<Record<string, unknown> | null>;
}

function startStream(app: FastifyInstance, deps: AppDeps, openStreams: OpenStreams, request: FastifyRequest, reply: FastifyReply, source: StreamSource): void {
  const diagnosticsHref = `${request.issuer.basePath}/diagnostics`;
  let lastId = source.afterId;
  let timer: NodeJS.Timeout | undefined;
  let pushing = Promise.resolve();
  const send = (event: string, data: unknown, id?: number) =>
    reply.raw.write(`event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);

  const push = async () => {
    for (const entry of await deps.store.logs.newer(source.scope, { ...source.filter, afterId: lastId })) {
      const view = logEntryView(entry, diagnosticsHref, deps.now());
      const html = await app.view('partials/log-entry', { fragment: true, ...view });
      lastId = entry.id;
      send('log', { id: entry.id, html, ...(view.aggregate ? { aggregate: view.aggregate } : {}) }, entry.id);
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
  reply.raw.write('retry: 3000\n\n');
  const heartbeat = setInterval(() => reply.raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
  const close = () => {
    deps.store.changes.off('change', onChange);
    clearInterval(heartbeat);
    clearTimeout(timer);
    openStreams.delete(close);
    reply.raw.end();
  };
  openStreams.add(close);
  deps.store.changes.on('change', onChange);
  request.raw.on('close', close);
  schedule(); // catch up on what happened between rendering the page and connecting
}

/** Where a reconnecting EventSource resumes: its Last-Event-ID, else the newest entry the page showed. */
function afterIdOf(request: FastifyRequest<StreamQuery>): number {
  const n = Number(request.headers['last-event-id'] ?? request.query.after ?? 0);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function registerLiveUpdates(app: FastifyInstance, deps: AppDeps): void {
  const openStreams: OpenStreams = new Set();
  app.addHook('preClose', async () => {
    for (const close of [...openStreams]) close();
  });

  app.get<StreamQuery & { Params: { sessionId: string } }>('/sessions/:sessionId/events', async (request, reply) => {
    const sessionId = request.params.sessionId;
    const first = await buildSessionView(deps.store, request.issuer, sessionId, request.query, deps.now());
    if (!first) return reply.code(404).send({ error: 'not_found' });
    const snapshot = async () => {
      const view = await buildSessionView(deps.store, request.issuer, sessionId, request.query, deps.now());
      if (!view) return null;
      const render = (partial: string) => app.view(partial, { fragment: true, ...view });
      return {
        status: view.session.status,
        logTotal: view.logs.pager.total,
        // The Supply Claims form needs the CSRF cookie of a full page load, so the page reloads for it.
        pendingClaims: (await deps.store.deferred.pendingForSession(sessionId)).length,
        fragments: {
          timeline: await render('partials/timeline'),
          events: await render('partials/events'),
          'last-activity': await render('partials/last-activity'),
        },
      };
    };
    startStream(app, deps, openStreams, request, reply, { scope: sessionId, filter: logFilterFrom(request.query, await deps.store.logs.endpoints(sessionId)), afterId: afterIdOf(request), snapshot });
    return reply;
  });

  app.get<StreamQuery>('/logs/events', async (request, reply) => {
    startStream(app, deps, openStreams, request, reply, { scope: null, filter: logFilterFrom(request.query, await deps.store.logs.endpoints(null)), afterId: afterIdOf(request) });
    return reply;
  });
}
