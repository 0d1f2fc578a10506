// OID4VCI 1.0 Section 12.2 (issuer metadata), RFC 8414 (authorization server metadata), JWKS.
// Metadata fetches carry nothing that ties them to a session, so they are not logged.
import type { FastifyInstance } from 'fastify';
import { sessionEncryptionMetadata } from '../issuance/encryption-key.ts';
import { issuerContextFor, SCOPE_SEGMENT } from '../issuance/issuer-context.ts';
import { authorizationServerMetadata, credentialIssuerMetadata } from '../issuance/metadata.ts';
import { jwtVcIssuerMetadata } from '../lifecycle/jwt-vc-issuer-metadata.ts';
import { signMetadata } from '../lifecycle/signed-metadata.ts';
import type { AppDeps } from './deps.ts';

// Metadata changes only with a new release or key; a short max-age spares wallets a fetch per flow.
const CACHEABLE = 'public, max-age=300';

/** A day: the signed metadata carries exp, so a stale copy is recognised. */
const SIGNED_METADATA_VALIDITY_S = 86_400;

/** application/jwt named in Accept, and not outranked by JSON (q values, else order). */
function prefersJwt(accept: string | undefined): boolean {
  const ranges = String(accept ?? '')
    .toLowerCase()
    .split(',')
    .map((part, i) => {
      const [type, ...params] = part
        .trim()
        .split(';')
        .map((p) => p.trim());
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? 1);
      return { type, q: Number.isFinite(q) ? q : 0, i };
    });
  const rank = (type: string) => ranges.filter((r) => r.type === type && r.q > 0).sort((a, b) => b.q - a.q || a.i - b.i)[0];
  const jwt = rank('application/jwt');
  const json = rank('application/json');
  return jwt !== undefined && (json === undefined || jwt.q > json.q || (jwt.q === json.q && jwt.i < json.i));
}

export function metadataRoutes(deps: AppDeps) {
  return async function metadata(app: FastifyInstance): Promise<void> {
    const ctx = issuerContextFor(deps.config.publicUrl);
    // MD-01 path insertion, for the root identifier and for session-scoped ones (/s/:scope).
    for (const suffix of ['', `${SCOPE_SEGMENT}/:scope`]) {
      app.get<{ Params: { scope?: string } }>(
        `${ctx.wellKnownPath('openid-credential-issuer')}${suffix}`,
        async (request, reply) => {
          const session = request.params.scope === undefined ? undefined : await deps.store.sessions.get(request.params.scope);
          // MD-09: encryption offered to every session; required where the offer said require_encryption.
          const metadata = {
            ...credentialIssuerMetadata(request.issuer, session?.options),
            ...sessionEncryptionMetadata(deps.requestEncryptionKeys, session?.options.require_encryption),
          };
          reply.header('cache-control', CACHEABLE).header('vary', 'Accept');
          // MD-11, H-08 (Section 12.2.2): a wallet that accepts application/jwt gets the signed form.
          if (prefersJwt(request.headers.accept)) {
            return reply.type('application/jwt').send(
              await signMetadata({ ...metadata, credential_issuer: request.issuer.issuer }, deps.issuerKey, {
                now: deps.now(),
                validForSeconds: SIGNED_METADATA_VALIDITY_S,
              }),
            );
          }
          return reply.type('application/json').send(metadata);
        },
      );
      // SD-JWT VC -13 Section 5 (FMT-SD-11): the keys of the issuer named by iss, path-inserted the same way.
      app.get(`${ctx.wellKnownPath('jwt-vc-issuer')}${suffix}`, async (request, reply) =>
        reply
          .header('cache-control', CACHEABLE)
          .type('application/json')
          .send(jwtVcIssuerMetadata(request.issuer.issuer, [deps.issuerKey.publicJwk])),
      );
      app.get<{ Params: { scope?: string } }>(
        `${ctx.wellKnownPath('oauth-authorization-server')}${suffix}`,
        async (request, reply) => {
          const session = request.params.scope === undefined ? undefined : await deps.store.sessions.get(request.params.scope);
          return reply
            .header('cache-control', CACHEABLE)
            .type('application/json')
            .send(authorizationServerMetadata(request.issuer, session?.options));
        },
      );
    }
    app.get(`${ctx.basePath}/jwks`, async (_request, reply) =>
      reply
        .header('cache-control', CACHEABLE)
        .type('application/jwk-set+json')
        .send({ keys: [deps.issuerKey.publicJwk] }),
    );
    app.get(`${ctx.basePath}/certificates/ca.pem`, async (_request, reply) =>
      reply.header('cache-control', CACHEABLE).type('application/x-pem-file').send(deps.issuerKey.caPem),
    );
  };
}
