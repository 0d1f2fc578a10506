// View model of the offer page: what a tester hands to the wallet (QR code, link, tx_code) after creating an offer.
import QRCode from 'qrcode';
import type { IssuerContext } from '../issuance/issuer-context.ts';
import { ISSUER_STATE_TTL_MS, linkInput, offerLinks } from '../issuance/offers.ts';
import type { Store } from '../store/index.ts';
import { prettyJson, type TimeView, timeView } from './format.ts';

export interface OfferView {
  sessionId: string;
  sessionHref: string;
  homeHref: string;
  offerLink: string;
  credentialOfferUri: string;
  /** Generated here from our own link, never from request data, so the template may embed it raw. */
  qrSvg: string;
  txCode: string | null;
  txCodeHint: string;
  /** The grants the offer carries, as the page names them. */
  grants: string[];
  offerJson: string;
  created: TimeView;
  expires: TimeView;
  retrieved: TimeView | null;
}

export async function buildOfferView(
  store: Store,
  issuer: IssuerContext,
  sessionId: string,
  now: number,
): Promise<OfferView | undefined> {
  const [session, offer, code] = await Promise.all([
    store.sessions.get(sessionId),
    store.offers.forSession(sessionId),
    store.codes.forSession(sessionId),
  ]);
  if (!session || !offer) return undefined;
  const authorization = session.options.authorization_code;
  const links = offerLinks(issuer, offer.id, session.id, linkInput(session.options, offer.credential_offer));
  const spec = session.options.tx_code;
  return {
    sessionId: session.id,
    sessionHref: `${issuer.basePath}/sessions/${session.id}`,
    homeHref: `${issuer.basePath}/`,
    offerLink: links.offer_link,
    credentialOfferUri: links.credential_offer_uri,
    qrSvg: await QRCode.toString(links.offer_link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    txCode: code?.tx_code ?? null,
    grants: [
      ...(code ? ['pre-authorized code'] : []),
      ...(authorization
        ? [
            `authorization code (${authorization.approval === 'auto' ? 'approved at once' : 'the tester approves on the consent page'}${authorization.issuer_state ? ', with issuer_state' : ''})`,
          ]
        : []),
    ],
    txCodeHint: spec
      ? `${spec.length} ${spec.input_mode === 'numeric' ? 'digits' : 'characters'}${spec.description ? `: “${spec.description}”` : ''}`
      : '',
    offerJson: prettyJson(offer.credential_offer),
    created: timeView(offer.created_at, now),
    expires: timeView(code?.expires_at ?? offer.created_at + ISSUER_STATE_TTL_MS, now),
    retrieved: offer.retrieved_at ? timeView(offer.retrieved_at, now) : null,
  };
}
