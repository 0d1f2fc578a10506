// The Supply Claims form of the session page (deferred issuance): fields generated from claim metadata.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkClaims } from '../checks/claims.ts';
import type { Problem } from '../checks/offer-request.ts';
import type { Session } from '../domain/session.ts';
import { formatOf } from '../formats/index.ts';
import { type CredentialConfiguration, findConfiguration } from '../issuance/configurations.ts';
import { completePending, denyPending, mintForPending } from '../issuance/deferred.ts';
import { defaultClaims } from '../issuance/issued.ts';
import type { AppDeps } from '../protocol/deps.ts';
import { type ClaimField, claimField, claimsFromFields, isUnder } from './claim-fields.ts';

export interface ClaimsFormView {
  configurationId: string;
  title: string;
  pending: number;
  mode: 'fields' | 'json';
  fieldsets: Array<{ legend: string | null; fields: ClaimField[] }>;
  json: string;
  errors: string[];
}

/** What a rejected submission brings back to the page: the entered values and the problems. */
export interface SubmittedClaims {
  configurationId: string;
  mode: 'fields' | 'json';
  body: Record<string, unknown>;
  problems: Problem[];
}

/** One configuration's claims form (fields from its claim metadata, or raw JSON); also the consent page's. */
export function formView(
  config: CredentialConfiguration,
  pending: number,
  claims: Record<string, unknown>,
  submitted?: SubmittedClaims,
): ClaimsFormView {
  const problems = submitted?.problems ?? [];
  const inputs = formatOf(config).claimInputs(config);
  const shown = { claims, sample: config.sample, ...(submitted?.mode === 'fields' ? { body: submitted.body } : {}) };
  const fieldsets = new Map<string | null, ClaimField[]>();
  for (const input of inputs) {
    const field = claimField(input, shown, problems);
    // Objects of JSON claims, and namespaces of mdoc elements, get a fieldset each.
    const legend = input.path.length > 1 ? input.path[0]! : null;
    fieldsets.set(legend, [...(fieldsets.get(legend) ?? []), field]);
  }
  const unplaced = problems.filter((p) => !inputs.some((input) => isUnder(p, input.path)));
  const json =
    submitted?.mode === 'json' && typeof submitted.body.claims_json === 'string'
      ? submitted.body.claims_json
      : JSON.stringify(claims, null, 2);
  return {
    configurationId: config.id,
    title: config.name,
    pending,
    mode: submitted?.mode ?? 'fields',
    fieldsets: [...fieldsets].map(([legend, fields]) => ({ legend, fields })),
    json,
    errors: unplaced.map((p) => `${p.path}: ${p.message}`),
  };
}

/** One form per configuration with a pending deferred request, prefilled with offer claims or samples. */
export async function claimsFormsFor(deps: AppDeps, session: Session, submitted?: SubmittedClaims): Promise<ClaimsFormView[]> {
  const pending = new Map<string, number>();
  for (const t of await deps.store.deferred.pendingForSession(session.id))
    pending.set(t.credential_configuration_id, (pending.get(t.credential_configuration_id) ?? 0) + 1);
  return [...pending].map(([id, count]) => {
    const config = findConfiguration(id)!;
    return formView(config, count, defaultClaims(session, config), submitted?.configurationId === id ? submitted : undefined);
  });
}

/** Form fields (or the raw JSON) to a claims object, typed by the format's claim inputs. */
export function claimsFromForm(
  config: CredentialConfiguration,
  body: Record<string, unknown>,
): { claims?: unknown; problems: Problem[] } {
  if (body.mode === 'json') {
    try {
      return { claims: JSON.parse(String(body.claims_json ?? '')), problems: [] };
    } catch (error) {
      return { problems: [{ path: '(json)', message: `not valid JSON: ${(error as Error).message}` }] };
    }
  }
  return claimsFromFields(formatOf(config).claimInputs(config), body, config.sample);
}

type FormRoute = { Params: { sessionId: string }; Body: Record<string, unknown> };
export type RenderSession = (
  request: FastifyRequest,
  reply: FastifyReply,
  session: Session,
  submitted: SubmittedClaims,
) => Promise<FastifyReply> | FastifyReply;

export function supplyClaimsRoutes(deps: AppDeps, renderSession: RenderSession) {
  const { store } = deps;
  return async function supplyClaimsForm(app: FastifyInstance): Promise<void> {
    const sessionOf = async (request: FastifyRequest<FormRoute>, reply: FastifyReply) => {
      const session = await store.sessions.get(request.params.sessionId);
      if (!session)
        reply.code(404).view('pages/not-found', { title: 'Unknown session', what: `session ${request.params.sessionId}` });
      return session;
    };
    const endpoint = '/sessions/:id/claims (Supply Claims form)';

    app.post<FormRoute>(
      '/sessions/:sessionId/claims',
      { preHandler: app.csrfProtection, config: { endpoint } },
      async (request, reply) => {
        const session = await sessionOf(request, reply);
        if (!session) return reply;
        request.trail.sessionId = session.id;
        const body = request.body ?? {};
        const config = findConfiguration(String(body.credential_configuration_id ?? ''));
        const mode = body.mode === 'json' ? 'json' : 'fields';
        if (!config) return reply.redirect(`${request.issuer.basePath}/sessions/${session.id}`, 303);
        const parsed = claimsFromForm(config, body);
        const checked =
          parsed.problems.length === 0 ? checkClaims(config, parsed.claims) : { ok: false as const, problems: parsed.problems };
        if (!checked.ok) {
          return renderSession(request, reply.code(400), session, {
            configurationId: config.id,
            mode,
            body,
            problems: checked.problems,
          });
        }
        // Nothing waiting any more (another tab, the API or a plan was first): the page shows how things stand.
        const prepared = await mintForPending(deps, request.issuer.issuer, session, config.id, checked.value).catch(
          () => undefined,
        );
        if (prepared) {
          const now = deps.now();
          await request.trail.commit(store, reply, 303, async (tx) => {
            const completed = await completePending(tx, request.trail, session, prepared, 'form', now);
            request.trail.tester('claims_supplied', {
              credential_configuration_id: config.id,
              transaction_ids: completed,
              claims: checked.value,
            });
          });
        }
        return reply.redirect(`${request.issuer.basePath}/sessions/${session.id}#supply-claims`, 303);
      },
    );

    app.post<FormRoute>(
      '/sessions/:sessionId/claims/deny',
      { preHandler: app.csrfProtection, config: { endpoint } },
      async (request, reply) => {
        const session = await sessionOf(request, reply);
        if (!session) return reply;
        request.trail.sessionId = session.id;
        const configurationId = String(request.body?.credential_configuration_id ?? '');
        const now = deps.now();
        await request.trail.commit(store, reply, 303, async (tx) => {
          const pending = (await tx.deferred.pendingForSession(session.id)).filter(
            (t) => t.credential_configuration_id === configurationId,
          );
          const denied: string[] = [];
          for (const t of pending) if (await denyPending(tx, request.trail, t, 'form', now)) denied.push(t.transaction_id);
          request.trail.tester('claims_refused', { credential_configuration_id: configurationId, transaction_ids: denied });
        });
        return reply.redirect(`${request.issuer.basePath}/sessions/${session.id}`, 303);
      },
    );
  };
}
