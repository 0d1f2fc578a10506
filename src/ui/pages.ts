// Server-rendered console pages for testers, their live updates, and the session API.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { AppDeps } from '../protocol/deps.ts';
import { asProtocolError, handleError, recordRejection } from '../protocol/error-handler.ts';
import { attestationPages } from './attestation-pages.ts';
import { registerLiveUpdates } from './live-updates.ts';
import { registerOfferPages } from './offer-pages.ts';
import { registerOperatorPages } from './operator-pages.ts';
import { registerReferencePages } from './reference-pages.ts';
import { registerSessionPages, supplyClaimsPlugin } from './session-pages.ts';

export function pageRoutes(deps: AppDeps) {
  return async function pages(app: FastifyInstance): Promise<void> {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    // A refused form or page deserves a page a tester can act on; streams, downloads and the API take the one error path.
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const url = request.routeOptions.url ?? '';
      const page = !url.endsWith('/events') && !url.endsWith('/download') && !url.includes('/api/');
      const rejection = page ? asProtocolError(error, request) : null;
      if (!rejection || rejection.diagnostic.status >= 500) return handleError(error, request, reply);
      recordRejection(request, rejection);
      const d = rejection.diagnostic;
      const signIn = d.id === 'API.operator_only' ? `${request.issuer.basePath}/login` : null;
      return reply.code(d.status).view('pages/problem', {
        title: d.title,
        reason: d.reason,
        help: d.help,
        backHref: `${request.issuer.basePath}/`,
        signIn,
      });
    });

    registerOfferPages(app, deps);
    registerSessionPages(app, deps);
    registerLiveUpdates(app, deps);
    registerReferencePages(app, deps);
    registerOperatorPages(app, deps);
    await app.register(supplyClaimsPlugin(deps));
    await app.register(attestationPages(deps));
  };
}
