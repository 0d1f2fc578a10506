// OID4VCI 1.0 Section 4.1: credential offers, created through the playground API and served by reference.
import type { FastifyInstance } from 'fastify';
import { checkOfferRequest, type OfferRequest } from '../checks/offer-request.ts';
import { ProtocolError } from '../diagnostics.ts';
import { PRE_AUTHORIZED_GRANT } from '../issuance/metadata.ts';
import { generateTxCode } from '../issuance/tx-code.ts';
import type { IssuerContext } from '../issuance/issuer-context.ts';
import type { SessionOptions } from '../store/sessions.ts';
import type { AppDeps } from './deps.ts';

export const PRE_AUTHORIZED_CODE_TTL_MS = 10 * 60 * 1000;

function sessionOptions(request: OfferRequest): SessionOptions {
  const txCode = request.grants.pre_authorized_code.tx_code;
  return {
    require_dpop: request.require_dpop,
    dpop_nonce: request.dpop_nonce,
    require_key_attestation: request.require_key_attestation,
    require_wallet_attestation: request.require_wallet_attestation,
    claims: request.claims,
    ...(txCode ? { tx_code: txCode } : {}),
    ...(request.subject_id ? { subject_id: request.subject_id } : {}),
  };
}

export function offerLinks(ctx: IssuerContext, offerId: string, sessionId: string) {
  const credentialOfferUri = ctx.url(`/credential_offers/${offerId}`);
  return {
    credential_offer_uri: credentialOfferUri,
    offer_link: `openid-credential-offer://?credential_offer_uri=${encodeURIComponent(credentialOfferUri)}`,
    session_url: ctx.url(`/sessions/${sessionId}`),
  };
}

export function offerRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function offers(app: FastifyInstance): Promise<void> {
    app.post(
      '/credential_offers',
      { config: { endpoint: '/credential_offers', malformedBody: 'API.offer.malformed', wrongMediaType: 'API.offer.malformed' } },
      async (request, reply) => {
        const checked = checkOfferRequest(request.body);
        if (!checked.ok) {
          const summary = checked.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
          throw new ProtocolError('API.offer.invalid', summary, { data: { problems: checked.problems }, response: { problems: checked.problems } });
        }
        const now = deps.now();
        const options = sessionOptions(checked.value);
        const sessionId = deps.id();
        const offerId = deps.id();
        const code = deps.secret();
        const txCode = options.tx_code ? generateTxCode(options.tx_code) : null;
        const credentialOffer = {
          credential_issuer: request.issuer.issuer,
          credential_configuration_ids: checked.value.credential_configuration_ids,
          grants: {
            [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': code, ...(options.tx_code ? { tx_code: options.tx_code } : {}) },
          },
        };
        store.transaction(() => {
          store.sessions.insert({
            id: sessionId,
            status: 'offer_created',
            grant_type: PRE_AUTHORIZED_GRANT,
            credential_configuration_ids: checked.value.credential_configuration_ids,
            options,
            created_at: now,
            updated_at: now,
          });
          store.offers.insert({ id: offerId, session_id: sessionId, credential_offer: credentialOffer, created_at: now });
          store.codes.insert(code, sessionId, txCode, now + PRE_AUTHORIZED_CODE_TTL_MS);
          store.events.add(sessionId, 'offer_created', { offer_id: offerId, credential_configuration_ids: credentialOffer.credential_configuration_ids }, now);
        });
        request.trail.sessionId = sessionId;
        request.trail.note('info', 'Credential offer created', { offer_id: offerId, credential_offer: credentialOffer, options });
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send({
            session_id: sessionId,
            offer_id: offerId,
            credential_offer: credentialOffer,
            ...offerLinks(request.issuer, offerId, sessionId),
            tx_code: txCode,
          });
      },
    );

    app.get<{ Params: { offerId: string } }>(
      '/credential_offers/:offerId',
      { config: { endpoint: '/credential_offers/:id' } },
      async (request, reply) => {
        const offer = store.offers.get(request.params.offerId);
        if (!offer) throw new ProtocolError('OFF-09.unknown', `offer id "${request.params.offerId}"`);
        const now = deps.now();
        request.trail.sessionId = offer.session_id;
        store.transaction(() => {
          store.offers.markRetrieved(offer.id, now);
          store.sessions.advance(offer.session_id, 'offer_retrieved', now);
          store.events.add(offer.session_id, 'offer_retrieved', { offer_id: offer.id, user_agent: request.headers['user-agent'] ?? null }, now);
        });
        request.trail.note('info', 'Credential offer retrieved by wallet', { offer_id: offer.id, credential_offer: offer.credential_offer });
        // OFF-09: plain JSON, never cached (the object carries a single-use code).
        return reply.header('cache-control', 'no-store').type('application/json').send(offer.credential_offer);
      },
    );
  };
}
