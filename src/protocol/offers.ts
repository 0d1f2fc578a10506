// OID4VCI 1.0 Section 4.1: credential offers, created through the playground API and served by reference.
import type { FastifyInstance } from 'fastify';
import { checkOfferRequest } from '../checks/offer-request.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import { prepareOffer, storeOffer } from '../issuance/offers.ts';
import type { AppDeps } from './deps.ts';

/** The tester's API: POST /credential_offers (a management route: no CORS, the offer rate limit). */
export function offerApiRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function offerApi(app: FastifyInstance): Promise<void> {
    app.post(
      '/credential_offers',
      {
        config: {
          endpoint: '/credential_offers',
          offerCreation: true,
          malformedBody: 'API.offer.malformed',
          wrongMediaType: 'API.offer.malformed',
        },
      },
      async (request, reply) => {
        const checked = checkOfferRequest(request.body);
        if (!checked.ok) {
          const summary = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
          throw new ProtocolError('API.offer.invalid', summary, {
            facts: { problems: checked.problems },
            response: { problems: checked.problems },
          });
        }
        const prepared = prepareOffer(deps, request.issuer, checked.value);
        request.trail.sessionId = prepared.created.session_id;
        await request.trail.commit(store, reply, 201, (tx) => storeOffer(tx, request.trail, prepared));
        return reply.code(201).header('cache-control', 'no-store').send(prepared.created);
      },
    );
  };
}

/** OID4VCI 1.0 Section 4.1.3: the offer a wallet fetches by reference. */
export function offerByReferenceRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function offerByReference(app: FastifyInstance): Promise<void> {
    app.get<{ Params: { offerId: string } }>(
      '/credential_offers/:offerId',
      { config: { endpoint: '/credential_offers/:id' } },
      async (request, reply) => {
        const offer = await store.offers.get(request.params.offerId);
        if (!offer) throw new ProtocolError('OFF-09.unknown', `offer id "${request.params.offerId}"`);
        const now = deps.now();
        request.trail.sessionId = offer.session_id;
        await request.trail.commit(store, reply, 200, async (tx) => {
          await tx.offers.markRetrieved(offer.id, now);
          await tx.sessions.advance(offer.session_id, 'offer_retrieved', now);
          await request.trail.event(
            tx,
            offer.session_id,
            'offer_retrieved',
            { offer_id: offer.id, user_agent: request.headers['user-agent'] ?? null },
            now,
          );
        });
        // OFF-09: plain JSON, never cached (the object carries a single-use code).
        return reply.header('cache-control', 'no-store').type('application/json').send(offer.credential_offer);
      },
    );
  };
}
