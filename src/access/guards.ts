// The console's and API's gates, as hooks of their scope: changes only from this playground's own
// pages (or from clients that are not browsers), the API in JSON only, a session's routes only for
// whoever may open it, global changes only for the operator when there is one.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProtocolError } from '../diagnostics/index.ts';
import type { Store } from '../store/index.ts';
import {
  type AccessSettings,
  canOpenSession,
  capabilityOpens,
  ensureWorkspace,
  SESSION_TOKEN_PARAM,
  viewerOf,
} from './viewer.ts';

const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
export const isChange = (request: FastifyRequest): boolean => CHANGES.has(request.method);

/**
 * Fetch Metadata first: a browser says whether the page that sent the request is ours (same-origin)
 * or none (typed, bookmarked); a page on another port of the same host is same-site, and refused.
 * The Origin header decides for browsers without Fetch Metadata. A request with neither comes from
 * curl or a script, which cannot carry a tester's cookies along: CSRF tokens and bearer credentials
 * still apply to it.
 */
export function refuseCrossOrigin(publicOrigin: string) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!isChange(request)) return;
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined) {
      if (site !== 'same-origin' && site !== 'none') throw new ProtocolError('HTTP.cross_origin', `Sec-Fetch-Site: ${site}`);
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== publicOrigin && origin !== `${request.protocol}://${request.host}`) {
      throw new ProtocolError('HTTP.cross_origin', `Origin: ${origin}`);
    }
  };
}

const JSON_MEDIA = /^application\/(?:[^\s;/]+\+)?json\s*(?:;|$)/i;

/** An HTML form can only send form or text bodies, so an API that takes JSON only is out of a form's reach. */
export async function jsonOnlyApi(request: FastifyRequest): Promise<void> {
  const hasBody =
    request.headers['content-length'] !== undefined
      ? request.headers['content-length'] !== '0'
      : request.headers['transfer-encoding'] !== undefined;
  if (isChange(request) && hasBody && !JSON_MEDIA.test(request.headers['content-type'] ?? '')) {
    throw new ProtocolError('HTTP.json_only', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
  }
}

/** What the 404 of a session looks like where the viewer may not open it: exactly that of an unknown id. */
type NotFound = (request: FastifyRequest, reply: FastifyReply, sessionId: string) => FastifyReply | Promise<FastifyReply>;

/**
 * Every route with a :sessionId answers 404 unless the viewer may open the session. A session_url
 * (GET /sessions/:id?session_token=…) adds the session to this browser's workspace and redirects
 * to the clean URL, so the capability leaves the address bar and the history at once.
 */
export function sessionGuard(store: Store, settings: AccessSettings, pagePath: string, notFound: NotFound, now: () => number) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const sessionId = (request.params as { sessionId?: unknown } | undefined)?.sessionId;
    if (typeof sessionId !== 'string') return undefined;
    const token = (request.query as Record<string, unknown> | undefined)?.[SESSION_TOKEN_PARAM];
    if (token !== undefined && request.method === 'GET' && request.routeOptions.url === pagePath) {
      if (!(await capabilityOpens(store, sessionId, token))) return notFound(request, reply, sessionId);
      await store.sessions.addToWorkspace(ensureWorkspace(request, reply, settings), sessionId, now());
      return reply.redirect(request.url.split('?')[0]!, 303);
    }
    if (await canOpenSession(store, viewerOf(request, settings), sessionId)) return undefined;
    return notFound(request, reply, sessionId);
  };
}

/** With an ADMIN_TOKEN set, global changes and the unattributed log are the operator's. */
export function operatorOnly(settings: AccessSettings) {
  return async (request: FastifyRequest): Promise<void> => {
    if (settings.adminToken !== null && !viewerOf(request, settings).admin) throw new ProtocolError('API.operator_only');
  };
}
