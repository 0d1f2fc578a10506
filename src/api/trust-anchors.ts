// Trust anchors for key and wallet attestations: list, add and remove (the /trust page uses the same functions).
import type { FastifyInstance } from 'fastify';
import { nanoid } from 'nanoid';
import type { TrustAnchor } from '../attestation/trust.ts';
import { type TrustAnchorInput, trustAnchorInputSchema } from '../checks/trust-anchor-input.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { problemsOf } from './problems.ts';

/** Every anchor the playground knows, built-in and file ones first; offer anchors name their session. */
export async function allAnchors(deps: AppDeps): Promise<Array<TrustAnchor & { removable: boolean; active: boolean }>> {
  const builtin = deps.attester.anchors.map((a) => ({ ...a, removable: false, active: deps.config.testAttesterTrusted }));
  const files = deps.fileAnchors.map((a) => ({ ...a, removable: false, active: true }));
  const stored = (await deps.store.anchors.listAll()).map((a) => ({ ...a, removable: a.source === 'api', active: true }));
  return [...builtin, ...files, ...stored];
}

export function addAnchor(deps: AppDeps, input: TrustAnchorInput): Promise<TrustAnchor> {
  return deps.store.anchors.add(
    {
      id: `api:${nanoid(10)}`,
      kind: input.kind,
      label: input.label ?? (input.pem ? 'Certificate added by a tester' : 'JWK added by a tester'),
      source: 'api',
      ...(input.pem ? { certificate: input.pem } : {}),
      ...(input.jwk ? { jwk: input.jwk } : {}),
      session_id: null,
      test: false,
    },
    deps.now(),
  );
}

export async function removeAnchor(deps: AppDeps, id: string): Promise<void> {
  const anchor = await deps.store.anchors.get(id);
  if (anchor?.source !== 'api' || !(await deps.store.anchors.remove(id)))
    throw new ProtocolError('API.anchor.unknown', `anchor "${id}"`);
}

export function trustAnchorApiRoutes(deps: AppDeps) {
  return async function trustAnchorApi(app: FastifyInstance): Promise<void> {
    app.get('/api/trust-anchors', async (_request, reply) =>
      reply.header('cache-control', 'no-store').send({ anchors: await allAnchors(deps) }),
    );

    app.post(
      '/api/trust-anchors',
      { config: { operator: true, malformedBody: 'API.anchor.invalid', wrongMediaType: 'API.anchor.invalid' } },
      async (request, reply) => {
        const parsed = trustAnchorInputSchema.safeParse(request.body);
        if (!parsed.success)
          throw new ProtocolError('API.anchor.invalid', 'trust anchor', { response: { problems: problemsOf(parsed.error) } });
        return reply
          .code(201)
          .header('cache-control', 'no-store')
          .send(await addAnchor(deps, parsed.data));
      },
    );

    app.delete<{ Params: { id: string } }>('/api/trust-anchors/:id', { config: { operator: true } }, async (request, reply) => {
      await removeAnchor(deps, request.params.id);
      return reply.code(204).header('cache-control', 'no-store').send();
    });
  };
}
