// The sessions list, a session's page, its JSON download and the session API.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { viewerOf } from '../access/viewer.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import type { Session } from '../domain/session.ts';
import { credentialStatusView } from '../issuance/credential-status.ts';
import { linkInput, offerLinks } from '../issuance/offers.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { sessionReport } from '../report/report.ts';
import { utc } from './format.ts';
import { issuedCredentialsSection } from './issued-credentials.ts';
import { summaryOf } from './log-entry-view.ts';
import { LOG_PAGE_SIZE, PAGE_SIZE, pageNumber } from './paging.ts';
import { reportView } from './report-view.ts';
import { demandsOf } from './session-summary.ts';
import { buildSessionView, type ExtraSection, type SessionQuery } from './session-view.ts';
import { buildSessionsList } from './sessions-list-view.ts';
import { claimsFormsFor, type SubmittedClaims, supplyClaimsRoutes } from './supply-claims.ts';

type SessionRequest = { Params: { sessionId: string }; Querystring: SessionQuery };

/**
 * The session page, or its 404. Features that add a section (Supply Claims) call this with their
 * sections, e.g. to re-render the page with a rejected form's values. Issued credentials come last.
 */
export async function renderSessionPage(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  sessionId: string,
  extraSections: ExtraSection[] = [],
) {
  const view = await buildSessionView(deps.store, request.issuer, sessionId, request.query as SessionQuery, deps.now());
  if (!view) return reply.code(404).view('pages/not-found', { title: 'Unknown session', what: `session ${sessionId}` });
  const issued = await issuedCredentialsSection(deps.store, sessionId, deps.now(), {
    csrfToken: reply.generateCsrf(),
    basePath: request.issuer.basePath,
    publicUrl: deps.config.publicUrl,
  });
  return reply.view('pages/session', {
    nav: 'sessions',
    scripts: ['live.js'],
    ...view,
    extraSections: [...view.extraSections, ...extraSections, ...issued],
  });
}

/** The section while a deferred request waits for claims; none otherwise. */
export async function supplyClaimsSection(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  session: Session,
  submitted?: SubmittedClaims,
): Promise<ExtraSection[]> {
  const claimForms = await claimsFormsFor(deps, session, submitted);
  if (claimForms.length === 0) return [];
  return [
    {
      partial: '../partials/supply-claims',
      data: { basePath: request.issuer.basePath, sessionId: session.id, csrfToken: reply.generateCsrf(), claimForms },
    },
  ];
}

/** Issue 3's Supply Claims routes; a rejected form re-renders this page with the entered values. */
export function supplyClaimsPlugin(deps: AppDeps) {
  return supplyClaimsRoutes(deps, async (request, reply, session, submitted) =>
    renderSessionPage(deps, request, reply, session.id, await supplyClaimsSection(deps, request, reply, session, submitted)),
  );
}

export function registerSessionPages(app: FastifyInstance, deps: AppDeps): void {
  const { store } = deps;

  // Only this browser's sessions (its workspace), or every session for the operator.
  app.get<{ Querystring: { status?: string; page?: string } }>('/sessions', async (request, reply) => {
    const viewer = viewerOf(request, deps.access);
    const scope = viewer.admin ? null : viewer.workspaceHash ? { workspaceHash: viewer.workspaceHash } : undefined;
    return reply.view('pages/sessions', {
      nav: 'sessions',
      ...(await buildSessionsList(store, request.issuer.basePath, scope, request.query, deps.now())),
    });
  });

  app.get<SessionRequest>('/sessions/:sessionId', async (request, reply) => {
    const session = await store.sessions.get(request.params.sessionId);
    const sections = session ? await supplyClaimsSection(deps, request, reply, session) : [];
    return renderSessionPage(deps, request, reply, request.params.sessionId, sections);
  });

  // A log entry wherever it is: the page of the session's log that holds it, at its anchor (report rows link here).
  app.get<{ Params: { sessionId: string; entryId: string } }>('/sessions/:sessionId/log/:entryId', async (request, reply) => {
    const { sessionId, entryId } = request.params;
    const id = /^\d{1,15}$/.test(entryId) ? Number(entryId) : undefined;
    const newer = id === undefined ? undefined : await store.logs.newerThan(sessionId, id);
    if (newer === undefined)
      return reply
        .code(404)
        .view('pages/not-found', { title: 'Unknown log entry', what: `log entry ${entryId} of session ${sessionId}` });
    const page = Math.floor(newer / LOG_PAGE_SIZE) + 1;
    return reply.redirect(`${request.issuer.basePath}/sessions/${sessionId}${page > 1 ? `?page=${page}` : ''}#log-${id}`, 303);
  });

  // Everything about the session in one file, to attach to a bug report.
  app.get<SessionRequest>('/sessions/:sessionId/download', async (request, reply) => {
    const session = await store.sessions.get(request.params.sessionId);
    if (!session) throw new ProtocolError('API.session.unknown', `session "${request.params.sessionId}"`);
    const [offer, events, logs, credentials, statuses] = await Promise.all([
      store.offers.forSession(session.id),
      store.events.list(session.id),
      store.logs.listAll(session.id),
      store.credentials.metadataForSession(session.id),
      store.statusLists.credentialsOfSession(session.id),
    ]);
    return reply.header('content-disposition', `attachment; filename="session-${session.id}.json"`).send({
      session,
      ...(offer
        ? {
            credential_offer: offer.credential_offer,
            ...offerLinks(request.issuer, offer.id, session.id, linkInput(session.options, offer.credential_offer)),
          }
        : {}),
      events: events.reverse(),
      logs,
      issued_credentials: credentials,
      credentials: statuses.map((row) => credentialStatusView(deps.config.publicUrl, row)),
      exported_at: new Date(deps.now()).toISOString(),
    });
  });

  app.get<SessionRequest>('/api/sessions/:sessionId', async (request, reply) => {
    const session = await store.sessions.get(request.params.sessionId);
    if (!session) throw new ProtocolError('API.session.unknown', `session "${request.params.sessionId}"`);
    const page = pageNumber(request.query.page);
    const eventsPage = pageNumber(request.query.events_page);
    const [logs, offer, events, eventCounts, credentials, statuses] = await Promise.all([
      store.logs.filteredPage(session.id, {}, PAGE_SIZE, (page - 1) * PAGE_SIZE),
      store.offers.forSession(session.id),
      store.events.page(session.id, PAGE_SIZE, (eventsPage - 1) * PAGE_SIZE),
      store.events.countsByType(session.id),
      store.credentials.metadataForSession(session.id),
      store.statusLists.credentialsOfSession(session.id),
    ]);
    const eventTotal = [...eventCounts.values()].reduce((a, b) => a + b, 0);
    return reply.send({
      session,
      ...(offer ? offerLinks(request.issuer, offer.id, session.id, linkInput(session.options, offer.credential_offer)) : {}),
      events: { total: eventTotal, page: eventsPage, page_size: PAGE_SIZE, entries: events },
      logs: {
        total: logs.total,
        page,
        page_size: PAGE_SIZE,
        entries: logs.entries.map((entry) => ({ ...entry, summary: summaryOf(entry) })),
      },
      issued_credentials: credentials,
      credentials: statuses.map((row) => credentialStatusView(deps.config.publicUrl, row)),
    });
  });

  app.get<SessionRequest>('/api/sessions/:sessionId/report', async (request, reply) => {
    const session = await store.sessions.get(request.params.sessionId);
    if (!session) throw new ProtocolError('API.session.unknown', `session "${request.params.sessionId}"`);
    const report = await sessionReport(store, session);
    return reply
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="report-${session.id}.json"`)
      .send({ ...report, generated_at: new Date(deps.now()).toISOString() });
  });

  // One printable page a team can attach to a bug report.
  app.get<SessionRequest>('/sessions/:sessionId/report', async (request, reply) => {
    const session = await store.sessions.get(request.params.sessionId);
    if (!session)
      return reply.code(404).view('pages/not-found', { title: 'Unknown session', what: `session ${request.params.sessionId}` });
    const base = `${request.issuer.basePath}/sessions/${session.id}`;
    const report = reportView(await sessionReport(store, session), {
      diagnostics: `${request.issuer.basePath}/diagnostics`,
      page: base,
      report: `${base}/report`,
      json: `${request.issuer.basePath}/api/sessions/${session.id}/report`,
    });
    return reply.view('pages/report', {
      title: `Conformance report · session ${session.id}`,
      nav: 'sessions',
      sessionId: session.id,
      sessionHref: base,
      issuer: request.issuer.issuer,
      generated: utc(deps.now()),
      demands: demandsOf(session),
      report,
    });
  });
}
