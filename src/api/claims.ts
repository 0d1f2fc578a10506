// The tester's API for deferred issuance: POST /api/sessions/:id/claims completes waiting requests.
import type { FastifyInstance } from 'fastify';
import { checkClaims } from '../checks/claims.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import { findConfiguration } from '../issuance/configurations.ts';
import { completePending, mintForPending } from '../issuance/deferred.ts';
import type { AppDeps } from '../protocol/deps.ts';

type ClaimsRoute = { Params: { sessionId: string } };

export function claimsApiRoutes(deps: AppDeps) {
  return async function claimsApi(app: FastifyInstance): Promise<void> {
    app.post<ClaimsRoute>(
      '/api/sessions/:sessionId/claims',
      {
        config: {
          endpoint: '/api/sessions/:id/claims',
          malformedBody: 'API.claims.invalid',
          wrongMediaType: 'API.claims.invalid',
        },
      },
      async (request, reply) => {
        const session = await deps.store.sessions.get(request.params.sessionId);
        if (!session) throw new ProtocolError('API.session.unknown', `session "${request.params.sessionId}"`);
        request.trail.sessionId = session.id;
        const body = request.body;
        const configurationId =
          isObject(body) && typeof body.credential_configuration_id === 'string' ? body.credential_configuration_id : undefined;
        const config = configurationId === undefined ? undefined : findConfiguration(configurationId);
        if (!config || !session.credential_configuration_ids.includes(config.id)) {
          const problems = [{ path: 'credential_configuration_id', message: 'must be a configuration of this session' }];
          throw new ProtocolError('API.claims.invalid', `credential_configuration_id ${JSON.stringify(configurationId)}`, {
            response: { problems },
          });
        }
        const checked = checkClaims(config, (body as Record<string, unknown>).claims);
        if (!checked.ok) {
          throw new ProtocolError('API.claims.invalid', checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
            facts: { problems: checked.problems },
            response: { problems: checked.problems },
          });
        }
        const prepared = await mintForPending(deps, request.issuer.issuer, session, config.id, checked.value);
        const now = deps.now();
        const completed = await request.trail.commit(deps.store, reply, 200, async (tx) => {
          const done = await completePending(tx, request.trail, session, prepared, 'api', now);
          request.trail.tester('claims_supplied', {
            credential_configuration_id: config.id,
            transaction_ids: done,
            claims: checked.value,
          });
          return done;
        });
        return reply
          .header('cache-control', 'no-store')
          .send({ credential_configuration_id: config.id, completed_transaction_ids: completed });
      },
    );
  };
}
