import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyInstance } from 'fastify';

/**
 * Double-submit CSRF protection for the tester's forms: the secret lives in a
 * SameSite=Strict, HttpOnly cookie and every state-changing form carries the
 * derived token in `_csrf`. Routes opt in with `preHandler: app.csrfProtection` (the token is in the parsed body).
 */
export async function registerCsrf(app: FastifyInstance, basePath: string): Promise<void> {
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: 'playground_csrf',
    cookieOpts: { path: basePath || '/', sameSite: 'strict', httpOnly: true },
  });
}
