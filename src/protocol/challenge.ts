// ABCA -07 Section 8 (WA-09): the challenge endpoint for client attestation PoPs.
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from './deps.ts';
import { rejectOtherMethods } from './post-only.ts';

export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export async function issueAttestationChallenge(deps: AppDeps): Promise<string> {
  const challenge = deps.secret();
  await deps.store.nonces.issueAttestationChallenge(challenge, deps.now() + CHALLENGE_TTL_MS);
  return challenge;
}

export function challengeRoutes(deps: AppDeps) {
  return async function challenge(app: FastifyInstance): Promise<void> {
    app.post('/challenge', async (_request, reply) =>
      reply.header('cache-control', 'no-store').send({ attestation_challenge: await issueAttestationChallenge(deps) }),
    );
    rejectOtherMethods(app, '/challenge', '/challenge');
  };
}
