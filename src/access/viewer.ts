// Who is asking, from what the request carries: the operator (ADMIN_TOKEN as Bearer, or the cookie
// /login sets), a session capability (Bearer session_token), and this browser's workspace cookie.
// Sessions are private: a page, stream or API of a session opens only for one of these.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sha256Url } from '../hash.ts';
import { randomToken } from '../random.ts';
import type { Store } from '../store/index.ts';

export const WORKSPACE_COOKIE = 'playground_workspace';
export const ADMIN_COOKIE = 'playground_admin';
/** The query parameter of a session_url; redaction knows the name, so its value never reaches a log. */
export const SESSION_TOKEN_PARAM = 'session_token';

const WORKSPACE_MAX_AGE_S = 365 * 24 * 3600;
export const ADMIN_COOKIE_MAX_AGE_S = 12 * 3600;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export interface AccessSettings {
  adminToken: string | null;
  /** Cookies are Secure when the playground is served over https. */
  secureCookies: boolean;
  cookiePath: string;
}

export interface Viewer {
  admin: boolean;
  /** SHA-256 of this browser's workspace cookie, when it has one. */
  workspaceHash: string | null;
  /** A Bearer value that is not the admin token: perhaps a session capability. */
  bearer: string | null;
}

export const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The admin cookie holds a MAC of the admin token, never the token itself; changing ADMIN_TOKEN signs everyone out. */
export const adminCookieValue = (adminToken: string): string =>
  createHmac('sha256', adminToken).update('playground admin cookie v1').digest('base64url');

function bearerOf(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  return match ? match[1]! : null;
}

export function viewerOf(request: FastifyRequest, settings: AccessSettings): Viewer {
  const bearer = bearerOf(request);
  const cookies = request.cookies ?? {};
  const { adminToken } = settings;
  const admin =
    adminToken !== null &&
    ((bearer !== null && sameSecret(bearer, adminToken)) ||
      (cookies[ADMIN_COOKIE] !== undefined && sameSecret(cookies[ADMIN_COOKIE], adminCookieValue(adminToken))));
  const workspace = cookies[WORKSPACE_COOKIE];
  return {
    admin,
    workspaceHash: workspace !== undefined && TOKEN_SHAPE.test(workspace) ? sha256Url(workspace) : null,
    bearer: admin ? null : bearer,
  };
}

/** This browser's workspace, created (and its cookie set) on first need: creating an offer, or opening a session_url. */
export function ensureWorkspace(request: FastifyRequest, reply: FastifyReply, settings: AccessSettings): string {
  const existing = viewerOf(request, settings).workspaceHash;
  if (existing) return existing;
  const value = randomToken(32);
  // Lax, not Strict: a session_url opened from a chat or a mail is a cross-site navigation, and its redirect must keep the cookie.
  reply.setCookie(WORKSPACE_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.secureCookies,
    path: settings.cookiePath,
    maxAge: WORKSPACE_MAX_AGE_S,
  });
  return sha256Url(value);
}

/** Whether the viewer may open this session: the operator, its capability, or a workspace it was added to. */
export async function canOpenSession(store: Store, viewer: Viewer, sessionId: string): Promise<boolean> {
  if (viewer.admin) return true;
  if (
    viewer.bearer !== null &&
    TOKEN_SHAPE.test(viewer.bearer) &&
    (await store.sessions.tokenMatches(sessionId, sha256Url(viewer.bearer)))
  )
    return true;
  return viewer.workspaceHash !== null && (await store.sessions.inWorkspace(viewer.workspaceHash, sessionId));
}

/** A session capability from a session_url, checked against the stored hash. */
export async function capabilityOpens(store: Store, sessionId: string, token: unknown): Promise<boolean> {
  return typeof token === 'string' && TOKEN_SHAPE.test(token) && (await store.sessions.tokenMatches(sessionId, sha256Url(token)));
}
