import { SESSION_TOKEN_PARAM } from '../access/viewer.ts';
import type { OfferRequest } from '../checks/offer-request.ts';
import type { OfferDelivery, SessionOptions } from '../domain/session.ts';
import { sha256Url } from '../hash.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { Trail } from '../protocol/trail.ts';
import type { Repositories } from '../store/index.ts';
import { type IssuerContext, sessionScopedContext } from './issuer-context.ts';
import { AUTHORIZATION_CODE_GRANT, PRE_AUTHORIZED_GRANT } from './metadata.ts';
import { generateTxCode } from './tx-code.ts';

export const PRE_AUTHORIZED_CODE_TTL_MS = 10 * 60 * 1000;
/** How long an offer's issuer_state starts authorizations (PAR-10); a tester may take a while to scan. */
export const ISSUER_STATE_TTL_MS = 24 * 60 * 60 * 1000;

export interface CreatedOffer {
  session_id: string;
  offer_id: string;
  credential_offer: Record<string, unknown>;
  credential_offer_uri: string;
  offer_link: string;
  /** Opens the session page in any browser once (it carries the capability, then the browser keeps it). */
  session_url: string;
  /** The session's capability, shown only here: Authorization: Bearer <session_token> on its API. */
  session_token: string;
  tx_code: string | null;
}

function sessionOptions(request: OfferRequest): SessionOptions {
  const txCode = request.grants.pre_authorized_code?.tx_code;
  const authorizationCode = request.grants.authorization_code;
  return {
    profile: request.profile,
    overrides: request.overrides,
    ...(request.algs ? { algs: request.algs } : {}),
    require_dpop: request.require_dpop,
    dpop_nonce: request.dpop_nonce,
    require_key_attestation: request.require_key_attestation,
    require_wallet_attestation: request.require_wallet_attestation,
    strict: request.strict,
    claims: request.claims,
    trust_anchors: request.trust_anchors,
    ...(txCode ? { tx_code: txCode } : {}),
    ...(request.subject_id ? { subject_id: request.subject_id } : {}),
    ...(request.deferred ? { deferred: request.deferred } : {}),
    ...(request.require_encryption ? { require_encryption: true } : {}),
    ...(request.offer_delivery !== 'by_reference' || request.offer_scheme !== 'openid-credential-offer'
      ? {
          offer_delivery: {
            by: request.offer_delivery === 'by_value' ? 'value' : 'reference',
            scheme: request.offer_scheme,
          } as const,
        }
      : {}),
    pre_authorized: request.grants.pre_authorized_code !== undefined,
    ...(authorizationCode
      ? { authorization_code: { approval: authorizationCode.approval, issuer_state: authorizationCode.issuer_state } }
      : {}),
    refresh_tokens: request.refresh_tokens,
    ...(request.require_attestation_challenge ? { require_attestation_challenge: true } : {}),
    ...(request.max_attestation_age_seconds !== undefined
      ? { max_attestation_age_seconds: request.max_attestation_age_seconds }
      : {}),
  };
}

/** Sessions whose demands change the metadata publish their own issuer (README: "Session-scoped issuers"). */
export function needsScopedIssuer(options: SessionOptions): boolean {
  return (
    options.require_key_attestation !== false ||
    options.require_wallet_attestation ||
    options.require_attestation_challenge === true ||
    options.authorization_code !== undefined ||
    options.require_encryption === true
  );
}

/** How a stored offer is handed over: the session's delivery and, for by-value links, the offer object itself. */
export interface OfferLinkInput {
  delivery?: OfferDelivery;
  credentialOffer: unknown;
}

/**
 * The offer's public links and the session page's address (without its capability). offer_link
 * carries exactly one of credential_offer_uri (by reference, the default) and credential_offer
 * (the URL-encoded JSON, by value) (OFF-01, VCI Section 4.1), under the session's scheme (OFF-10).
 */
export function offerLinks(ctx: IssuerContext, offerId: string, sessionId: string, input?: OfferLinkInput) {
  const credentialOfferUri = ctx.url(`/credential_offers/${offerId}`);
  const scheme = input?.delivery?.scheme ?? 'openid-credential-offer';
  const query =
    input?.delivery?.by === 'value'
      ? `credential_offer=${encodeURIComponent(JSON.stringify(input.credentialOffer))}`
      : `credential_offer_uri=${encodeURIComponent(credentialOfferUri)}`;
  return {
    credential_offer_uri: credentialOfferUri,
    offer_link: `${scheme}://?${query}`,
    session_url: ctx.url(`/sessions/${sessionId}`),
  };
}

/** offerLinks' input for a stored session and offer. */
export const linkInput = (options: SessionOptions, credentialOffer: unknown): OfferLinkInput => ({
  ...(options.offer_delivery ? { delivery: options.offer_delivery } : {}),
  credentialOffer,
});

/** An offer ready to store: the session, its offer object, pre-authorized code and tx_code. */
export interface PreparedOffer {
  created: CreatedOffer;
  /** What the database keeps of session_token. */
  tokenHash: string;
  options: SessionOptions;
  /** The pre-authorized code, when the offer carries that grant. */
  code: string | null;
  issuerState: string | null;
  configurationIds: string[];
  now: number;
}

/** Builds a new offer for a request; nothing is stored yet. */
export function prepareOffer(deps: AppDeps, ctx: IssuerContext, request: OfferRequest): PreparedOffer {
  const now = deps.now();
  const options = sessionOptions(request);
  const sessionId = deps.id();
  const offerId = deps.id();
  const code = options.pre_authorized ? deps.secret() : null;
  const issuerState = options.authorization_code?.issuer_state ? deps.secret() : null;
  const sessionToken = deps.secret();
  const txCode = options.tx_code ? generateTxCode(options.tx_code) : null;
  const issuer = needsScopedIssuer(options) ? sessionScopedContext(ctx, sessionId) : ctx;
  const grants: Record<string, unknown> = {};
  if (code !== null)
    grants[PRE_AUTHORIZED_GRANT] = { 'pre-authorized_code': code, ...(options.tx_code ? { tx_code: options.tx_code } : {}) };
  if (options.authorization_code) grants.authorization_code = issuerState === null ? {} : { issuer_state: issuerState };
  const credentialOffer = {
    credential_issuer: issuer.issuer,
    credential_configuration_ids: request.credential_configuration_ids,
    grants,
  };
  const links = offerLinks(ctx, offerId, sessionId, linkInput(options, credentialOffer));
  return {
    created: {
      session_id: sessionId,
      offer_id: offerId,
      credential_offer: credentialOffer,
      ...links,
      session_url: `${links.session_url}?${SESSION_TOKEN_PARAM}=${sessionToken}`,
      session_token: sessionToken,
      tx_code: txCode,
    },
    tokenHash: sha256Url(sessionToken),
    options,
    code,
    issuerState,
    configurationIds: request.credential_configuration_ids,
    now,
  };
}

/** Stores the session with its offer, pre-authorized code, trust anchors and offer_created event; call in the request's transaction. */
export async function storeOffer(tx: Repositories, trail: Trail, prepared: PreparedOffer): Promise<void> {
  const { created, options, code, issuerState, configurationIds, now } = prepared;
  const sessionId = created.session_id;
  await tx.sessions.insert(
    {
      id: sessionId,
      status: 'offer_created',
      grant_type: code !== null ? PRE_AUTHORIZED_GRANT : AUTHORIZATION_CODE_GRANT,
      credential_configuration_ids: configurationIds,
      options,
      created_at: now,
      updated_at: now,
    },
    prepared.tokenHash,
  );
  await tx.offers.insert({
    id: created.offer_id,
    session_id: sessionId,
    credential_offer: created.credential_offer,
    created_at: now,
  });
  if (code !== null) await tx.codes.insert(code, sessionId, created.tx_code, now + PRE_AUTHORIZED_CODE_TTL_MS);
  if (issuerState !== null) await tx.authorization.addIssuerState(issuerState, sessionId, now + ISSUER_STATE_TTL_MS);
  for (const [i, anchor] of options.trust_anchors.entries()) {
    await tx.anchors.add(
      {
        id: `offer:${sessionId}:${i}`,
        kind: anchor.kind,
        label: anchor.label ?? `Offer anchor ${i + 1}`,
        source: 'offer',
        ...(anchor.pem ? { certificate: anchor.pem } : {}),
        ...(anchor.jwk ? { jwk: anchor.jwk } : {}),
        session_id: sessionId,
        test: false,
      },
      now,
    );
  }
  await trail.event(
    tx,
    sessionId,
    'offer_created',
    { offer_id: created.offer_id, credential_configuration_ids: configurationIds },
    now,
  );
}
