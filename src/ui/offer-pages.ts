// Home page with the offer form; the form posts, then redirects to the offer page (Post/Redirect/Get).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureWorkspace } from '../access/viewer.ts';
import { credentialConfigurations } from '../issuance/configurations.ts';
import { prepareOffer, storeOffer } from '../issuance/offers.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { defaultOfferFormValues, type FieldErrors, type OfferFormValues, profileFrom, submitOfferForm } from './offer-form.ts';
import { offerFormView } from './offer-form-view.ts';
import { buildOfferView } from './offer-view.ts';

type SessionParams = { Params: { sessionId: string } };

function renderHome(request: FastifyRequest, reply: FastifyReply, values: OfferFormValues, errors: FieldErrors = {}) {
  const { issuer } = request;
  return reply.view('pages/home', {
    title: 'Create an offer',
    nav: 'home',
    scripts: ['copy.js', 'offer-form.js'],
    issuer: issuer.issuer,
    metadataUrl: `${issuer.origin}${issuer.wellKnownPath('openid-credential-issuer')}`,
    offersApiUrl: issuer.url('/credential_offers'),
    exampleConfigurationId: credentialConfigurations[0]?.id ?? '',
    form: offerFormView(`${issuer.basePath}/offers`, reply.generateCsrf(), values, errors),
  });
}

export function registerOfferPages(app: FastifyInstance, deps: AppDeps): void {
  const { store } = deps;

  // ?profile=haip-1.0 presets the form without JavaScript.
  app.get<{ Querystring: { profile?: string } }>('/', async (request, reply) =>
    renderHome(request, reply, defaultOfferFormValues(credentialConfigurations[0]?.id, profileFrom(request.query.profile))),
  );

  // The body carries _csrf, so the check runs once the form is parsed.
  app.post(
    '/offers',
    { preHandler: app.csrfProtection, config: { endpoint: '/offers (web console)', offerCreation: true } },
    async (request, reply) => {
      const submitted = submitOfferForm(request.body);
      if (!submitted.ok) return renderHome(request, reply.code(400), submitted.values, submitted.errors);
      const prepared = prepareOffer(deps, request.issuer, submitted.request);
      request.trail.sessionId = prepared.created.session_id;
      // The session belongs to this browser: its workspace opens it, nobody else's does.
      const workspace = ensureWorkspace(request, reply, deps.access);
      await request.trail.commit(store, reply, 303, async (tx) => {
        await storeOffer(tx, request.trail, prepared);
        await tx.sessions.addToWorkspace(workspace, prepared.created.session_id, prepared.now);
        request.trail.tester('offer_created', { offer_id: prepared.created.offer_id, request: submitted.request });
      });
      // 303: a reload of the offer page shows the same offer instead of posting again.
      return reply.redirect(`${request.issuer.basePath}/sessions/${prepared.created.session_id}/offer`, 303);
    },
  );

  app.get<SessionParams>('/sessions/:sessionId/offer', async (request, reply) => {
    const view = await buildOfferView(store, request.issuer, request.params.sessionId, deps.now());
    if (!view) {
      return reply
        .code(404)
        .view('pages/not-found', { title: 'Unknown offer', what: `offer for session ${request.params.sessionId}` });
    }
    return reply.view('pages/offer', { title: 'Offer ready', nav: 'home', scripts: ['copy.js'], offer: view });
  });
}
