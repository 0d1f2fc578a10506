// OID4VCI 1.0 Section 12.2 (issuer metadata), RFC 8414 (authorization server metadata), JWKS.
// Metadata fetches carry nothing that ties them to a session, so they are not logged.
import type { FastifyInstance } from 'fastify';
import { issuerContextFor, SCOPE_SEGMENT } from '../issuance/issuer-context.ts';
import { authorizationServerMetadata, credentialIssuerMetadata } from '../issuance/metadata.ts';
import type { AppDeps } from './deps.ts';

// Metadata changes only with a new release or key; a short max-age spares wallets a fetch per flow.
const CACHEABLE = 'public, max-age=300';

export function metadataRoutes(deps: AppDeps) {
  return async function metadata(app: FastifyInstance): Promise<void> {
    const ctx = issuerContextFor(deps.config.publicUrl);
    // MD-01 path insertion, for the root identifier and for session-scoped ones (/s/:scope).
    for (const suffix of ['', `${SCOPE_SEGMENT}/:scope`]) {
      app.get<{ Params: { scope?: string } }>(`${ctx.wellKnownPath('openid-credential-issuer')}${suffix}`, async (request, reply) => {
        const session = request.params.scope === undefined ? undefined : await deps.store.sessions.get(request.params.scope);
        return reply.header('cache-control', CACHEABLE).type('application/json').send(credentialIssuerMetadata(request.issuer, session?.options));
      });
      app.get<{ Params: { scope?: string } }>(`${ctx.wellKnownPath('oauth-authorization-server')}${suffix}`, async (request, reply) => {
        const session = request.params.scope === undefined ? undefined : await deps.store.sessions.get(request.params.scope);
        return reply.header('cache-control', CACHEABLE).type('application/json').send(authorizationServerMetadata(request.issuer, session?.options));
      });
    }
    app.get(`${ctx.basePath}/jwks`, async (_request, reply) =>
      reply.header('cache-control', CACHEABLE).type('application/jwk-set+json').send({ keys: [deps.issuerKey.publicJwk] }),
    );
    app.get(`${ctx.basePath}/certificates/ca.pem`, async (_request, reply) =>
      reply.header('cache-control', CACHEABLE).type('application/x-pem-file').send(deps.issuerKey.caPem),
    );
  };
}
