// The operator's sign-in: ADMIN_TOKEN typed once, then a cookie holding a MAC of it (see access/viewer.ts).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_COOKIE, ADMIN_COOKIE_MAX_AGE_S, adminCookieValue, sameSecret, viewerOf } from '../access/viewer.ts';
import type { AppDeps } from '../protocol/deps.ts';

type LoginForm = { Body: { admin_token?: string } | undefined };

export function registerOperatorPages(app: FastifyInstance, deps: AppDeps): void {
  const { access } = deps;
  const render = (request: FastifyRequest, reply: FastifyReply, failed = false) =>
    reply.view('pages/login', {
      title: 'Operator',
      nav: 'login',
      configured: access.adminToken !== null,
      signedIn: viewerOf(request, access).admin,
      offerCreationAdmin: deps.config.offerCreation === 'admin',
      failed,
      csrfToken: reply.generateCsrf(),
      loginAction: `${request.issuer.basePath}/login`,
      logoutAction: `${request.issuer.basePath}/logout`,
    });

  app.get('/login', async (request, reply) => render(request, reply));

  app.post<LoginForm>('/login', { preHandler: app.csrfProtection }, async (request, reply) => {
    const given = typeof request.body?.admin_token === 'string' ? request.body.admin_token : '';
    if (access.adminToken === null || !sameSecret(given, access.adminToken))
      return render(request, reply.code(401), access.adminToken !== null);
    reply.setCookie(ADMIN_COOKIE, adminCookieValue(access.adminToken), {
      httpOnly: true,
      sameSite: 'strict',
      secure: access.secureCookies,
      path: access.cookiePath,
      maxAge: ADMIN_COOKIE_MAX_AGE_S,
    });
    return reply.redirect(`${request.issuer.basePath}/sessions`, 303);
  });

  app.post('/logout', { preHandler: app.csrfProtection }, async (request, reply) => {
    reply.clearCookie(ADMIN_COOKIE, { path: access.cookiePath });
    return reply.redirect(`${request.issuer.basePath}/`, 303);
  });
}
