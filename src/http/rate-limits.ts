// Requests per minute per client address, in three budgets: wallet endpoints (generous: a wallet
// under test retries), offer creation and management writes (tighter: each one stores rows).
//
// The 429 is sent right here, not thrown: @fastify/rate-limit throws its error into the app's error
// handler, which maps every error it does not know to 500 server_error.
//
// Its body keeps the OAuth error shape wallets already parse. No OAuth or OID4VCI document defines
// a rate-limit code: RFC 6585 Section 4 defines 429 with Retry-After, and RFC 9126 Section 2.3 (PAR)
// answers 429 without naming one. `slow_down` (RFC 8628 Section 3.5) tells a polling client to add
// 5 s to its interval, and OID4VCI 1.0 dropped pre-authorized polling with it (TOK-22), so a 1.0
// wallet must never see it. `temporarily_unavailable` (RFC 6749 Section 4.1.2.1) is the
// authorization endpoint's redirect code for an overloaded server. Hence `too_many_requests`, which
// says what happened; the status and Retry-After carry the protocol meaning.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type RateLimitClass = 'wallet' | 'offerCreation' | 'managementWrite';

/** Requests per minute that one client address may send to each class of endpoints. */
export type RateLimitSettings = Readonly<Record<RateLimitClass, number>>;

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { wallet: 600, offerCreation: 30, managementWrite: 60 };

/** An onRequest hook: add it to a route (`onRequest: [limits.wallet]`) or to a scope (`scope.addHook('onRequest', limits.wallet)`). */
export type RateLimitHook = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | undefined>;

export const RATE_LIMIT_ERROR = 'too_many_requests';

const WINDOW_MS = 60_000;

const WHAT: Record<RateLimitClass, string> = {
  wallet: 'requests to the wallet endpoints',
  offerCreation: 'credential offers created',
  managementWrite: 'changes through the console and its API',
};

/**
 * Registers @fastify/rate-limit with `global: false` (no route is limited unless it asks) and returns
 * one hook per class. Each class counts in its own store, across every route that uses it, keyed by
 * request.ip (IPv6 by /64), which trustProxy derives from X-Forwarded-For behind a proxy.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  settings: RateLimitSettings = DEFAULT_RATE_LIMITS,
): Promise<Record<RateLimitClass, RateLimitHook>> {
  await app.register(rateLimit, { global: false });
  const hookFor = (limitClass: RateLimitClass): RateLimitHook => {
    const max = settings[limitClass];
    const check = app.createRateLimit({ max, timeWindow: WINDOW_MS });
    return async (request, reply) => {
      const limit = await check(request);
      if (limit.isAllowed || !limit.isExceeded) return undefined;
      const retryAfter = Math.max(1, limit.ttlInSeconds);
      return reply
        .code(429)
        .headers({ 'retry-after': String(retryAfter), 'cache-control': 'no-store' })
        .send({
          error: RATE_LIMIT_ERROR,
          error_description: `More than ${max} ${WHAT[limitClass]} a minute from this address; retry after ${retryAfter} s.`,
        });
    };
  };
  return { wallet: hookFor('wallet'), offerCreation: hookFor('offerCreation'), managementWrite: hookFor('managementWrite') };
}
