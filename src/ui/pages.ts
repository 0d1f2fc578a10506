// Server-rendered pages for testers and the same session data as JSON.
import type { FastifyInstance } from 'fastify';
import { ProtocolError } from '../diagnostics.ts';
import { credentialConfigurations } from '../issuance/configurations.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { offerLinks } from '../issuance/offers.ts';
import { eventRow, logRow, PAGE_SIZE, pageNumber, pager, utc } from './view-models.ts';

type PageQuery = { Querystring: { page?: string } };
type SessionParams = { Params: { sessionId: string } } & PageQuery;

export function pageRoutes(deps: AppDeps) {
  const { store } = deps;


  return async function pages(app: FastifyInstance): Promise<void> {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });

    app.get('/', async (request, reply) =>
      reply.view('pages/home', {
        title: 'OID4VCI Issuer Playground',
        issuer: request.issuer.issuer,
        metadataUrl: `${request.issuer.origin}${request.issuer.wellKnownPath('openid-credential-issuer')}`,
        offersUrl: request.issuer.url('/credential_offers'),
        logsHref: `${request.issuer.basePath}/logs`,
        configurations: credentialConfigurations.map((c) => ({ id: c.id, format: c.format, name: c.name })),
      }),
    );

    app.get<SessionParams>('/sessions/:sessionId', async (request, reply) => {
      const session = store.sessions.get(request.params.sessionId);
      if (!session) {
        return reply.code(404).view('pages/not-found', { title: 'Unknown session', what: `session ${request.params.sessionId}` });
      }
      const page = pageNumber(request.query.page);
      const logs = store.logs.page(session.id, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      const events = store.events.list(session.id);
      const offer = store.offers.forSession(session.id);
      return reply.view('pages/session', {
        title: `Session ${session.id}`,
        session: {
          id: session.id,
          status: session.status,
          grantType: session.grant_type,
          configurationIds: session.credential_configuration_ids,
          created: utc(session.created_at),
          updated: utc(session.updated_at),
          demands: Object.entries({ DPoP: session.options.require_dpop, 'DPoP nonce': session.options.dpop_nonce, 'tx_code': !!session.options.tx_code })
            .filter(([, on]) => on)
            .map(([name]) => name),
        },
        links: offer ? offerLinks(request.issuer, offer.id, session.id) : null,
        apiHref: `${request.issuer.basePath}/api/sessions/${session.id}`,
        logs: logs.entries.map(logRow),
        logPager: pager(logs.total, page, `${request.issuer.basePath}/sessions/${session.id}`),
        events: events.map(eventRow),
      });
    });

    app.get<SessionParams>('/api/sessions/:sessionId', async (request, reply) => {
      const session = store.sessions.get(request.params.sessionId);
      if (!session) throw new ProtocolError('API.session.unknown', `session "${request.params.sessionId}"`);
      const page = pageNumber(request.query.page);
      const logs = store.logs.page(session.id, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      const offer = store.offers.forSession(session.id);
      return reply.send({
        session,
        ...(offer ? offerLinks(request.issuer, offer.id, session.id) : {}),
        events: store.events.list(session.id),
        logs: { total: logs.total, page, page_size: PAGE_SIZE, entries: logs.entries },
        issued_credentials: store.credentials.listForSession(session.id).map(({ credential: _c, ...meta }) => meta),
      });
    });

    app.get<PageQuery>('/logs', async (request, reply) => {
      const page = pageNumber(request.query.page);
      const logs = store.logs.page(null, PAGE_SIZE, (page - 1) * PAGE_SIZE);
      return reply.view('pages/logs', {
        title: 'Requests without a session',
        logs: logs.entries.map(logRow),
        logPager: pager(logs.total, page, `${request.issuer.basePath}/logs`),
      });
    });
  };
}
