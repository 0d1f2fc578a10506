// /trust (list, add and remove trust anchors) and /test-attester (how to use the built-in attester).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemsOf } from '../api/problems.ts';
import { addAnchor, allAnchors, removeAnchor } from '../api/trust-anchors.ts';
import { describeAnchor } from '../attestation/trust.ts';
import type { Problem } from '../checks/offer-request.ts';
import { trustAnchorInputSchema } from '../checks/trust-anchor-input.ts';
import type { AppDeps } from '../protocol/deps.ts';

type AnchorForm = { Body: Record<string, string | undefined> };

async function anchorRows(deps: AppDeps) {
  return (await allAnchors(deps)).map((anchor) => ({
    id: anchor.id,
    kind: anchor.kind,
    label: anchor.label,
    source: anchor.source,
    form: anchor.certificate ? 'X.509 certificate' : 'JWK',
    description: describeAnchor(anchor),
    test: anchor.test,
    active: anchor.active,
    removable: anchor.removable,
    session: anchor.session_id ?? null,
  }));
}

export function attestationPages(deps: AppDeps) {
  return async function pages(app: FastifyInstance): Promise<void> {
    const renderTrust = async (
      request: FastifyRequest,
      reply: FastifyReply,
      entered: Record<string, string | undefined> = {},
      problems: Problem[] = [],
    ) =>
      reply.view('pages/trust', {
        title: 'Trust anchors',
        nav: 'trust',
        anchors: await anchorRows(deps),
        csrfToken: reply.generateCsrf(),
        action: `${request.issuer.basePath}/trust`,
        entered: { kind: entered.kind ?? 'key_attestation', label: entered.label ?? '', material: entered.material ?? '' },
        problems: problems.map((p) => `${p.path}: ${p.message}`),
        testAttesterTrusted: deps.config.testAttesterTrusted,
        anchorsDir: deps.config.trustAnchorsDir,
      });

    app.get('/trust', async (request, reply) => renderTrust(request, reply));

    app.post<AnchorForm>('/trust', { preHandler: app.csrfProtection, config: { operator: true } }, async (request, reply) => {
      const body = request.body ?? {};
      const material = (body.material ?? '').trim();
      let input: Record<string, unknown> = { kind: body.kind, ...(body.label?.trim() ? { label: body.label.trim() } : {}) };
      if (material.startsWith('{')) {
        try {
          input = { ...input, jwk: JSON.parse(material) };
        } catch {
          return renderTrust(request, reply.code(400), body, [
            { path: 'material', message: 'looks like JSON but does not parse' },
          ]);
        }
      } else {
        input = { ...input, pem: material };
      }
      const parsed = trustAnchorInputSchema.safeParse(input);
      if (!parsed.success) return renderTrust(request, reply.code(400), body, problemsOf(parsed.error));
      await addAnchor(deps, parsed.data);
      return reply.redirect(`${request.issuer.basePath}/trust`, 303);
    });

    app.post<AnchorForm>(
      '/trust/remove',
      { preHandler: app.csrfProtection, config: { operator: true } },
      async (request, reply) => {
        await removeAnchor(deps, request.body?.id ?? '');
        return reply.redirect(`${request.issuer.basePath}/trust`, 303);
      },
    );

    app.get('/test-attester', async (request, reply) =>
      reply.view('pages/test-attester', {
        title: 'Test attester',
        nav: 'test-attester',
        base: request.issuer.issuer,
        trusted: deps.config.testAttesterTrusted,
        caPem: deps.attester.caPem,
      }),
    );
  };
}
