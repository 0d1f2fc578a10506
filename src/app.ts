import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { type FastifyInstance, type FastifyRequest, LogController } from 'fastify';
import { jsonOnlyApi, operatorOnly, refuseCrossOrigin, sessionGuard } from './access/guards.ts';
import { viewerOf } from './access/viewer.ts';
import { claimsApiRoutes } from './api/claims.ts';
import { credentialStatusRoutes } from './api/credential-status.ts';
import { testAttesterRoutes } from './api/test-attester.ts';
import { trustAnchorApiRoutes } from './api/trust-anchors.ts';
import { ProtocolError } from './diagnostics/index.ts';
import { registerBoundedJson } from './http/json-body.ts';
import { registerRateLimits } from './http/rate-limits.ts';
import { registerStaticFiles } from './http/static-files.ts';
import { issuerContextFor, SCOPE_SEGMENT, sessionScopedContext } from './issuance/issuer-context.ts';
import { authorizeRoutes } from './protocol/authorize.ts';
import { challengeRoutes } from './protocol/challenge.ts';
import { credentialRoutes } from './protocol/credential.ts';
import { deferredRoutes } from './protocol/deferred.ts';
import type { AppDeps } from './protocol/deps.ts';
import { handleError } from './protocol/error-handler.ts';
import { metadataRoutes } from './protocol/metadata.ts';
import { nonceRoutes } from './protocol/nonce.ts';
import { notificationRoutes } from './protocol/notification.ts';
import { offerApiRoutes, offerByReferenceRoutes } from './protocol/offers.ts';
import { parRoutes } from './protocol/par.ts';
import { attributeSession } from './protocol/session-attribution.ts';
import { statusListRoutes } from './protocol/status-lists.ts';
import { tokenRoutes } from './protocol/token.ts';
import { Trail } from './protocol/trail.ts';
import { registerCsrf } from './ui/csrf.ts';
import { pageRoutes } from './ui/pages.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const BODY_LIMIT = 64 * 1024;
const HEALTH_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Pages show wallet-sent data; nothing inline may run and nothing may load from elsewhere.
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

// Crawlers may read what a wallet reads (metadata, keys); nothing of the console.
const ROBOTS_TXT = (basePath: string) =>
  [
    'User-agent: *',
    `Allow: ${basePath}/.well-known/`,
    `Allow: ${basePath}/jwks`,
    `Allow: ${basePath}/certificates/`,
    'Disallow: /',
    '',
  ].join('\n');

// Browser-based wallets call these endpoints from their own origin (DPOP-13: they must read DPoP-Nonce).
const WALLET_CORS = {
  origin: '*',
  methods: ['GET', 'POST'],
  allowedHeaders: ['Content-Type', 'Authorization', 'DPoP', 'OAuth-Client-Attestation', 'OAuth-Client-Attestation-PoP'],
  exposedHeaders: ['DPoP-Nonce', 'WWW-Authenticate', 'OAuth-Client-Attestation-Challenge', 'Retry-After'],
  maxAge: 600,
};

/** A wallet route pattern (`/s/:scope/token`) as a matcher for preflights, which arrive before any route is known. */
const routeMatcher = (url: string) =>
  new RegExp(`^${url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`);

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: { level: deps.config.logLevel },
    // Fastify accepts a hop count at run time; its types list only the other forms.
    trustProxy: deps.config.trustProxy as boolean | string,
    bodyLimit: BODY_LIMIT,
    // Per-request lines only at debug: wallet traffic is recorded in the session logs already.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(deps.config.logLevel) }),
  });
  const issuer = issuerContextFor(deps.config.publicUrl);
  const { access } = deps;

  app.decorateRequest('trail', null as unknown as Trail);
  app.decorateRequest('issuer', null as unknown as typeof issuer);
  app.addHook('onRequest', async (request, reply) => {
    request.trail = new Trail(request, deps.now(), { logClientIps: deps.config.logClientIps });
    reply.header('x-content-type-options', 'nosniff');
    // Links out of the console carry no Referer (session URLs stay here); our own forms keep their Origin.
    reply.header('referrer-policy', 'same-origin');
    if (!request.routeOptions.config.wallet) reply.header('x-robots-tag', 'noindex, nofollow');
    // Routes under /s/:scope serve a session's own Credential Issuer Identifier.
    const scope = (request.params as { scope?: string } | undefined)?.scope;
    if (scope !== undefined && !(await deps.store.sessions.get(scope)))
      throw new ProtocolError('HTTP.not_found', `no session "${scope}" publishes an issuer`);
    request.issuer = scope === undefined ? issuer : sessionScopedContext(issuer, scope);
  });
  // Records of a request that committed nothing are written before the response leaves, so a client
  // that reads the session next sees them. A refusal before any route (404, 413, unparsable body)
  // is written when what it carried ties it to a session.
  app.addHook('onSend', async (request, reply, payload) => {
    try {
      if (reply.statusCode >= 400) await attributeSession(deps.store, request);
      if (request.routeOptions.config.endpoint || reply.statusCode >= 400) await request.trail.flush(deps.store, reply);
    } catch (error) {
      // A database that does not answer must not turn the answer (a 503 from /healthz, say) into a 500.
      request.log.error({ err: error }, 'request log not written');
    }
    // A page may set its own policy (the consent page lets its form redirect to the wallet).
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html') && !reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    }
    return payload;
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler({}, async (request) => {
    throw new ProtocolError('HTTP.not_found', `${request.method} ${request.url.split('?')[0]}`);
  });

  registerBoundedJson(app);
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await registerCsrf(app, access.cookiePath);
  await app.register(view, {
    engine: { eta: new Eta({ cache: true }) },
    root: join(root, 'views'),
    layout: 'layout',
    // Compile each template once; otherwise @fastify/view re-reads and recompiles every template of
    // every page unless NODE_ENV is production. Template edits need a restart.
    production: true,
    defaultContext: {
      basePath: issuer.basePath,
      operator: access.adminToken !== null,
      httpsWarning: httpsWarning(deps.config.publicUrl),
    },
  });
  // Pages show whether the viewer is signed in as the operator.
  app.addHook('preHandler', async (request, reply) => {
    if (!request.routeOptions.config.wallet) reply.locals = { ...reply.locals, signedIn: viewerOf(request, access).admin };
  });
  await registerStaticFiles(app, { root: join(root, 'public'), prefix: `${issuer.basePath}/static/` });
  const limits = await registerRateLimits(app, deps.config.rateLimits);

  // CORS for the wallet scope only: everything else (and every preflight to it) gets no CORS headers.
  const walletRoutes: Array<{ method: string; matches: RegExp }> = [];
  const isWalletPreflight = (request: FastifyRequest) => {
    const method = String(request.headers['access-control-request-method'] ?? '').toUpperCase();
    const path = request.url.split('?')[0]!;
    return walletRoutes.some((r) => r.method === method && r.matches.test(path));
  };
  await app.register(cors, {
    delegator: (request, callback) => {
      const wallet = request.method === 'OPTIONS' ? isWalletPreflight(request) : request.routeOptions.config.wallet === true;
      callback(null, wallet ? WALLET_CORS : { origin: false });
    },
  });

  let requests = 0;
  app.addHook('onResponse', async () => {
    requests++;
  });
  app.get('/healthz', async (request, reply) => {
    const database = await withTimeout(deps.store.ping(), HEALTH_TIMEOUT_MS).then(
      () => 'ok',
      (error: Error) => error.message,
    );
    const healthy = database === 'ok';
    const { transactions, statements, logBytes } = deps.store.counters;
    // ?stats: what the benchmark divides by its flows.
    const stats =
      (request.query as { stats?: string }).stats !== undefined
        ? { stats: { requests, transactions, statements, log_bytes: logBytes } }
        : {};
    const warning = httpsWarning(deps.config.publicUrl);
    return reply
      .code(healthy ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({
        status: healthy ? 'ok' : 'unavailable',
        engine: deps.store.engine,
        database,
        ...(warning ? { warnings: [warning] } : {}),
        ...stats,
      });
  });
  app.get('/robots.txt', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('text/plain').send(ROBOTS_TXT(issuer.basePath)),
  );

  // Wallet-facing endpoints: open CORS, the generous wallet rate limit, no cookies needed.
  await app.register(async (wallet) => {
    wallet.addHook('onRoute', (route) => {
      route.config = { ...route.config, wallet: true };
      for (const method of [route.method].flat()) walletRoutes.push({ method, matches: routeMatcher(route.url) });
    });
    wallet.addHook('onRequest', limits.wallet);
    await wallet.register(metadataRoutes(deps));
    await wallet.register(offerByReferenceRoutes(deps), { prefix: issuer.basePath });
    await wallet.register(testAttesterRoutes(deps), { prefix: issuer.basePath });
    await wallet.register(statusListRoutes(deps), { prefix: issuer.basePath });
    for (const prefix of [issuer.basePath, `${issuer.basePath}${SCOPE_SEGMENT}/:scope`]) {
      await wallet.register(parRoutes(deps), { prefix });
      await wallet.register(tokenRoutes(deps), { prefix });
      await wallet.register(challengeRoutes(deps), { prefix });
      await wallet.register(nonceRoutes(deps), { prefix });
      await wallet.register(credentialRoutes(deps), { prefix });
      await wallet.register(deferredRoutes(deps), { prefix });
      await wallet.register(notificationRoutes(deps), { prefix });
    }
  });

  // The console and its API: changes from this playground's pages only, sessions private to their capability.
  await app.register(async (management) => {
    management.addHook('onRequest', refuseCrossOrigin(new URL(deps.config.publicUrl).origin));
    management.addHook('onRequest', async (request, reply) => {
      if (request.url.startsWith(`${issuer.basePath}/api/`)) await jsonOnlyApi(request);
      const creating = request.routeOptions.config.offerCreation === true;
      if (creating) return limits.offerCreation(request, reply);
      if (request.method !== 'GET' && request.method !== 'HEAD') return limits.managementWrite(request, reply);
      return undefined;
    });
    const operator = operatorOnly(access);
    management.addHook('onRequest', async (request) => {
      const { config } = request.routeOptions;
      if (config.operator || (config.offerCreation && deps.config.offerCreation === 'admin')) await operator(request);
    });
    management.addHook(
      'onRequest',
      sessionGuard(deps.store, access, `${issuer.basePath}/sessions/:sessionId`, sessionNotFound(issuer.basePath), deps.now),
    );
    await management.register(offerApiRoutes(deps), { prefix: issuer.basePath });
    await management.register(claimsApiRoutes(deps), { prefix: issuer.basePath });
    await management.register(credentialStatusRoutes(deps), { prefix: issuer.basePath });
    await management.register(trustAnchorApiRoutes(deps), { prefix: issuer.basePath });
    await management.register(pageRoutes(deps), { prefix: issuer.basePath });
    // The authorization endpoint and its consent page: the browser's, with CSRF-protected decisions.
    for (const prefix of [issuer.basePath, `${issuer.basePath}${SCOPE_SEGMENT}/:scope`])
      await management.register(authorizeRoutes(deps), { prefix });
  });
  return app;
}

/** OID4VCI 1.0 Section 12.2.1: Credential Issuer Identifiers are https URLs, and phone wallets refuse anything else. */
export function httpsWarning(publicUrl: string): string | null {
  return publicUrl.startsWith('https:')
    ? null
    : `PUBLIC_URL ${publicUrl} is not https: OID4VCI 1.0 Section 12.2.1 requires https issuer identifiers and phone wallets refuse http. Put the playground behind an https tunnel or reverse proxy (see the README) and set PUBLIC_URL to its https URL.`;
}

/** A session the viewer may not open looks exactly like one that does not exist. */
function sessionNotFound(basePath: string) {
  return (request: FastifyRequest, reply: import('fastify').FastifyReply, sessionId: string) => {
    const url = request.routeOptions.url ?? '';
    if (url.startsWith(`${basePath}/api/`) || url.endsWith('/events') || url.endsWith('/download')) {
      throw new ProtocolError('API.session.unknown', `session "${sessionId}"`);
    }
    return reply.code(404).view('pages/not-found', { title: 'Unknown session', what: `session ${sessionId}` });
  };
}
