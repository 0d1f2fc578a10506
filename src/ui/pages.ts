// Server-rendered console pages for testers, their live updates, and the session API.
import type { FastifyError, FastifyInstance } from 'fastify';
import { diagnostic } from '../diagnostics/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { handleError } from '../protocol/error-handler.ts';
import { attestationPages } from './attestation-pages.ts';
import { registerLiveUpdates } from './live-updates.ts';
import { registerOfferPages } from './offer-pages.ts';
import { registerReferencePages } from './reference-pages.ts';
import { registerSessionPages, supplyClaimsPlugin } from './session-pages.ts';

export function pageRoutes(deps: AppDeps) {
  return async function pages(app: FastifyInstance): Promise<void> {
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('cache-control', 'no-store');
      return payload;
    });
    // A refused form deserves a page a tester can act on; everything else takes the one error path.
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (!error.code?.startsWith('FST_CSRF_')) return handleError(error, request, reply);
      const d = diagnostic('UI.csrf');
      return reply.code(d.status).view('pages/problem', { title: d.title, reason: d.reason, help: d.help, backHref: `${request.issuer.basePath}/` });
    });

    registerOfferPages(app, deps);
    registerSessionPages(app, deps);
    registerLiveUpdates(app, deps);
    registerReferencePages(app, deps);
    await app.register(supplyClaimsPlugin(deps));
    await app.register(attestationPages(deps));
  };
}
