// A request refused before any route ran (an unknown path such as draft 13's /batch_credential, a
// body too large or unparsable) still belongs in a session's log when what it carried names the
// session: an access token we issued, a pre-authorized code, an offer id, a session-scoped issuer, or
// what the authorization code flow carries (issuer_state, request_uri, code, refresh token).
import type { FastifyRequest } from 'fastify';
import { isObject } from '../checks/jose-helpers.ts';
import { REQUEST_URI_PREFIX } from '../checks/par-request.ts';
import { sha256Url } from '../hash.ts';
import type { Store } from '../store/index.ts';

async function sessionNamedBy(store: Store, request: FastifyRequest): Promise<string | undefined> {
  const token = /^(?:DPoP|Bearer)\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
  if (token) {
    const record = await store.tokens.get(sha256Url(token));
    if (record) return record.session_id;
  }
  const params = (request.params ?? {}) as Record<string, unknown>;
  if (typeof params.scope === 'string' && (await store.sessions.get(params.scope))) return params.scope;
  if (typeof params.offerId === 'string') {
    const offer = await store.offers.get(params.offerId);
    if (offer) return offer.session_id;
  }
  const body = isObject(request.body) ? request.body : {};
  const code = body['pre-authorized_code'];
  if (typeof code === 'string') return (await store.codes.get(code))?.session_id;
  // The authorization code flow: issuer_state at PAR, request_uri at /authorize, code and refresh token at /token.
  if (typeof body.issuer_state === 'string') return store.authorization.sessionOfIssuerState(body.issuer_state, Date.now());
  const query = (request.query ?? {}) as Record<string, unknown>;
  const requestUri = typeof query.request_uri === 'string' ? query.request_uri : undefined;
  if (requestUri?.startsWith(REQUEST_URI_PREFIX))
    return (await store.authorization.getPar(sha256Url(requestUri.slice(REQUEST_URI_PREFIX.length))))?.session_id;
  if (typeof body.code === 'string') return (await store.authorization.getCode(sha256Url(body.code)))?.session_id;
  if (typeof body.refresh_token === 'string')
    return (await store.authorization.getRefresh(sha256Url(body.refresh_token)))?.session_id;
  return undefined;
}

/** Ties the request's trail to the session it names, if any; true when the trail has a session. */
export async function attributeSession(store: Store, request: FastifyRequest): Promise<boolean> {
  if (!request.trail) return false;
  if (request.trail.sessionId !== null) return true;
  const sessionId = await sessionNamedBy(store, request);
  if (sessionId === undefined) return false;
  request.trail.sessionId = sessionId;
  return true;
}
