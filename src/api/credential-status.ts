// Revoke, suspend and reinstate issued credentials: POST /api/sessions/:id/credentials/:credential_id/status
// (JSON) and the session page's buttons (form with CSRF), both through setCredentialStatus.
import type { FastifyInstance } from 'fastify';
import { isObject } from '../checks/jose-helpers.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import { isStatusName, setCredentialStatus } from '../issuance/credential-status.ts';
import { statusListUri } from '../issuance/status.ts';
import type { AppDeps } from '../protocol/deps.ts';

type StatusRoute = { Params: { sessionId: string; credentialId: string } };

export function credentialStatusRoutes(deps: AppDeps) {
  return async function credentialStatus(app: FastifyInstance): Promise<void> {
    app.post<StatusRoute>(
      '/api/sessions/:sessionId/credentials/:credentialId/status',
      {
        config: {
          endpoint: '/api/sessions/:id/credentials/:credential_id/status',
          malformedBody: 'API.status.invalid',
          wrongMediaType: 'API.status.invalid',
        },
      },
      async (request, reply) => {
        const { sessionId, credentialId } = request.params;
        const status = isObject(request.body) ? request.body.status : undefined;
        if (!isStatusName(status)) throw new ProtocolError('API.status.invalid', `status ${JSON.stringify(status)}`);
        const changed = await setCredentialStatus(deps, request, reply, { sessionId, credentialId, status, source: 'api' });
        const entry = await deps.store.statusLists.entryOfCredential(sessionId, credentialId);
        return reply.header('cache-control', 'no-store').send({
          id: credentialId,
          status: changed.status,
          previous: changed.previous,
          ...(entry ? { status_list: { uri: statusListUri(deps.config.publicUrl, entry.list_id), idx: entry.idx } } : {}),
        });
      },
    );

    app.post<StatusRoute & { Body: { status?: string } }>(
      '/sessions/:sessionId/credentials/:credentialId/status',
      { preHandler: app.csrfProtection, config: { endpoint: '/sessions/:id/credentials/:credential_id/status' } },
      async (request, reply) => {
        const { sessionId, credentialId } = request.params;
        const status = request.body?.status;
        if (!isStatusName(status)) throw new ProtocolError('API.status.invalid', `status ${JSON.stringify(status)}`);
        await setCredentialStatus(deps, request, reply, { sessionId, credentialId, status, source: 'form' });
        return reply.redirect(`${request.issuer.basePath}/sessions/${sessionId}#credential-${credentialId}`, 303);
      },
    );
  };
}
