import cors from '@fastify/cors';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import view from '@fastify/view';
import { Eta } from 'eta';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProtocolError } from './diagnostics/index.ts';
import { issuerContextFor, SCOPE_SEGMENT, sessionScopedContext } from './issuance/issuer-context.ts';
import type { AppDeps } from './protocol/deps.ts';
import { handleError } from './protocol/error-handler.ts';
import { Trail } from './protocol/trail.ts';
import { challengeRoutes } from './protocol/challenge.ts';
import { credentialRoutes } from './protocol/credential.ts';
import { deferredRoutes } from './protocol/deferred.ts';
import { notificationRoutes } from './protocol/notification.ts';
import { metadataRoutes } from './protocol/metadata.ts';
import { nonceRoutes } from './protocol/nonce.ts';
import { offerRoutes } from './protocol/offers.ts';
import { tokenRoutes } from './protocol/token.ts';
import { claimsApiRoutes } from './api/claims.ts';
import { testAttesterRoutes } from './api/test-attester.ts';
import { trustAnchorApiRoutes } from './api/trust-anchors.ts';
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
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

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

  app.decorateRequest('trail', null as unknown as Trail);
  app.decorateRequest('issuer', null as unknown as typeof issuer);
  app.addHook('onRequest', async (request, reply) => {
    request.trail = new Trail(request, deps.now(), { logClientIps: deps.config.logClientIps });
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    // Routes under /s/:scope serve a session's own Credential Issuer Identifier.
    const scope = (request.params as { scope?: string } | undefined)?.scope;
    if (scope !== undefined && !(await deps.store.sessions.get(scope))) throw new ProtocolError('HTTP.not_found', `no session "${scope}" publishes an issuer`);
    request.issuer = scope === undefined ? issuer : sessionScopedContext(issuer, scope);
  });
  // Records of a request that committed nothing are written before the response leaves, so a client that reads the session next sees them.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.config.endpoint) await request.trail.flush(deps.store, reply);
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    }
    return payload;
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler({}, async () => {
    throw new ProtocolError('HTTP.not_found');
  });

  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await registerCsrf(app, issuer.basePath);
  await app.register(view, {
    engine: { eta: new Eta({ cache: true }) },
    // Compile each template once; otherwise @fastify/view re-reads and recompiles every template of
    // every page unless NODE_ENV is production. Template edits need a restart.
    production: true,
    root: join(root, 'views'),
    layout: 'layout',
    defaultContext: { basePath: issuer.basePath },
  });
  await app.register(fastifyStatic, { root: join(root, 'public'), prefix: `${issuer.basePath}/static/`, maxAge: '1h' });

  let requests = 0;
  app.addHook('onResponse', async () => {
    requests++;
  });
  app.get('/healthz', async (request, reply) => {
    const database = await withTimeout(deps.store.ping(), HEALTH_TIMEOUT_MS).then(() => 'ok', (error: Error) => error.message);
    const healthy = database === 'ok';
    const { transactions, statements, logBytes } = deps.store.counters;
    // ?stats: what the benchmark divides by its flows.
    const stats = (request.query as { stats?: string }).stats !== undefined ? { stats: { requests, transactions, statements, log_bytes: logBytes } } : {};
    return reply
      .code(healthy ? 200 : 503)
      .header('cache-control', 'no-store')
      .send({ status: healthy ? 'ok' : 'unavailable', engine: deps.store.engine, database, ...stats });
  });

  // Wallet-facing endpoints: open CORS so browser-based wallets can call them (DPOP-13: expose DPoP-Nonce).
  await app.register(async (wallet) => {
    await wallet.register(cors, {
      origin: '*',
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization', 'DPoP', 'OAuth-Client-Attestation', 'OAuth-Client-Attestation-PoP'],
      exposedHeaders: ['DPoP-Nonce', 'WWW-Authenticate', 'OAuth-Client-Attestation-Challenge'],
      maxAge: 600,
    });
    await wallet.register(metadataRoutes(deps));
    await wallet.register(offerRoutes(deps), { prefix: issuer.basePath });
    await wallet.register(testAttesterRoutes(deps), { prefix: issuer.basePath });
    for (const prefix of [issuer.basePath, `${issuer.basePath}${SCOPE_SEGMENT}/:scope`]) {
      await wallet.register(tokenRoutes(deps), { prefix });
      await wallet.register(challengeRoutes(deps), { prefix });
      await wallet.register(nonceRoutes(deps), { prefix });
      await wallet.register(credentialRoutes(deps), { prefix });
      await wallet.register(deferredRoutes(deps), { prefix });
      await wallet.register(notificationRoutes(deps), { prefix });
    }
  });
  await app.register(claimsApiRoutes(deps), { prefix: issuer.basePath });
  await app.register(trustAnchorApiRoutes(deps), { prefix: issuer.basePath });
  await app.register(pageRoutes(deps), { prefix: issuer.basePath });
  return app;
}
