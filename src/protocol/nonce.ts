// OID4VCI 1.0 Section 7: nonce endpoint (NON-01..03). Not a protected resource.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.ts';
import { DPOP_NONCE_TTL_MS } from './dpop-step.ts';
import { rejectOtherMethods } from './post-only.ts';

export const C_NONCE_TTL_MS = 5 * 60 * 1000;

export function nonceRoutes(deps: AppDeps) {
  return async function nonce(app: FastifyInstance): Promise<void> {
    app.post('/nonce', { config: { endpoint: '/nonce' } }, async (_request, reply) => {
      const cNonce = deps.secret();
      const dpopNonce = deps.secret();
      const now = deps.now();
      await deps.store.transaction(async (tx) => {
        await tx.nonces.issueCNonce(cNonce, now, C_NONCE_TTL_MS);
        // NON-03 / HAIP 4: a DPoP nonce for the credential request, should the session demand one.
        await tx.nonces.issueDpopNonce(dpopNonce, now + DPOP_NONCE_TTL_MS);
      });
      return reply.header('cache-control', 'no-store').header('dpop-nonce', dpopNonce).send({ c_nonce: cNonce });
    });
    rejectOtherMethods(app, '/nonce', '/nonce');
  };
}
