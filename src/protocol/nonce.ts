// OID4VCI 1.0 Section 7: nonce endpoint (NON-01..03). Not a protected resource.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.ts';
import { issueDpopNonce } from './dpop-step.ts';
import { rejectOtherMethods } from './post-only.ts';

export const C_NONCE_TTL_MS = 5 * 60 * 1000;

export function nonceRoutes(deps: AppDeps) {
  return async function nonce(app: FastifyInstance): Promise<void> {
    app.post('/nonce', { config: { endpoint: '/nonce' } }, async (_request, reply) => {
      const cNonce = deps.secret();
      const dpopNonce = deps.store.transaction(() => {
        deps.store.nonces.issueCNonce(cNonce, deps.now(), C_NONCE_TTL_MS);
        // NON-03 / HAIP 4: a DPoP nonce for the credential request, should the session demand one.
        return issueDpopNonce(deps);
      });
      return reply.header('cache-control', 'no-store').header('dpop-nonce', dpopNonce).send({ c_nonce: cNonce });
    });
    rejectOtherMethods(app, '/nonce', '/nonce');
  };
}
