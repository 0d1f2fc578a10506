// RFC 9126 Section 4, RFC 6749 Section 4.1, RFC 9207: the authorization endpoint after PAR (AUTH-01..05)
// and its consent page. Errors whose redirect target is trusted go back to the wallet with error,
// state and iss; the others are shown as a page that explains them (AUTH-03).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ensureWorkspace } from '../access/viewer.ts';
import { CONTENT_SECURITY_POLICY } from '../app.ts';
import {
  authorizationResponse,
  decideAuthorization,
  errorRedirect,
  type ParRecordState,
  readAuthorizationQuery,
} from '../checks/authorization-request.ts';
import { checkClaims } from '../checks/claims.ts';
import { type Failure, type Finding, failure } from '../checks/finding.ts';
import { REQUEST_URI_PREFIX } from '../checks/par-request.ts';
import { diagnostic, ProtocolError } from '../diagnostics/index.ts';
import type { ParRecord } from '../domain/authorization.ts';
import type { Session } from '../domain/session.ts';
import { sha256Url } from '../hash.ts';
import { findConfiguration } from '../issuance/configurations.ts';
import { defaultClaims } from '../issuance/issued.ts';
import type { Repositories } from '../store/index.ts';
import { type ClaimsFormView, claimsFromForm, formView, type SubmittedClaims } from '../ui/supply-claims.ts';
import type { AppDeps } from './deps.ts';

const SUBJECT = 'Authorization request';
/** How long a consent page may stay open before its decision is refused (the code itself lives 60 s). */
export const CONSENT_TTL_MS = 15 * 60 * 1000;

const referenceOf = (requestUri: string | undefined): string | undefined =>
  requestUri?.startsWith(REQUEST_URI_PREFIX) ? requestUri.slice(REQUEST_URI_PREFIX.length) : undefined;

function recordState(record: ParRecord | undefined, now: number): ParRecordState {
  if (!record) return { status: 'unknown' };
  const status = record.used_at !== null ? 'used' : record.expires_at <= now ? 'expired' : 'ok';
  return {
    status,
    clientId: record.client_id,
    redirectUri: record.request.redirect_uri,
    ...(record.request.state !== undefined ? { state: record.request.state } : {}),
  };
}

/** AUTH-04: a fresh single-use code for the consented request, with its event; in the decision's transaction. */
async function issueCode(
  tx: Repositories,
  request: FastifyRequest,
  deps: AppDeps,
  record: ParRecord,
  approvedBy: 'auto' | 'tester',
): Promise<string> {
  const code = deps.secret();
  const now = deps.now();
  const pushed = record.request;
  await tx.authorization.insertCode(
    sha256Url(code),
    record.session_id,
    record.client_id,
    {
      redirect_uri: pushed.redirect_uri,
      code_challenge: pushed.code_challenge,
      dpop_jkt: pushed.dpop_jkt,
      client_instance_jkt: pushed.client_instance_jkt,
      authorized: pushed.requested,
    },
    now,
  );
  await request.trail.event(
    tx,
    record.session_id,
    'code_issued',
    {
      approved_by: approvedBy,
      client_id: record.client_id,
      credential_configuration_ids: pushed.requested.map((r) => r.credential_configuration_id),
      dpop_bound: pushed.dpop_jkt !== null,
    },
    now,
  );
  return code;
}

function successRedirect(reply: FastifyReply, record: ParRecord, code: string, issuer: string): FastifyReply {
  const { location } = authorizationResponse(record.request.redirect_uri, {
    code,
    ...(record.request.state !== undefined ? { state: record.request.state } : {}),
    iss: issuer,
  });
  return reply.code(303).header('cache-control', 'no-store').redirect(location, 303);
}

/** The refusal as a page for the browser (AUTH-03: no redirect to an untrusted target), logged like any rejection. */
function errorPage(request: FastifyRequest, reply: FastifyReply, fail: Failure, findings: readonly Finding[]): FastifyReply {
  const d = diagnostic(fail.diagnostic);
  request.trail.rejection({
    diagnostic: fail.diagnostic,
    ...(fail.detail ? { detail: fail.detail } : {}),
    status: 400,
    error: d.error,
    subject: SUBJECT,
    findings: [...findings],
  });
  return reply
    .code(400)
    .header('cache-control', 'no-store')
    .view('pages/authorize-error', {
      title: d.title,
      error: d.error,
      reason: d.reason,
      help: d.help,
      spec_ref: d.spec_ref,
      detail: fail.detail ?? null,
      id: d.id,
    });
}

function rejectionRedirect(
  request: FastifyRequest,
  reply: FastifyReply,
  fail: Failure,
  findings: readonly Finding[],
  location: string,
): FastifyReply {
  const d = diagnostic(fail.diagnostic);
  request.trail.rejection({
    diagnostic: fail.diagnostic,
    ...(fail.detail ? { detail: fail.detail } : {}),
    status: 303,
    error: d.error,
    subject: SUBJECT,
    findings: [...findings],
  });
  return reply.code(303).header('cache-control', 'no-store').redirect(location, 303);
}

/** A configuration's claims sub-form of the consent page: the Supply Claims fields, names prefixed per configuration. */
interface ClaimsForm {
  prefix: string;
  view: ClaimsFormView;
}

/**
 * CSP form-action also governs the redirect after a form submission: the consent form may end at
 * the wallet's redirect URI (its origin, or its private-use scheme), and nowhere else.
 */
function consentPolicy(redirectUri: string): string {
  const url = new URL(redirectUri);
  const target = url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : url.protocol;
  return CONTENT_SECURITY_POLICY.replace("form-action 'self'", `form-action 'self' ${target}`);
}

function consentView(
  request: FastifyRequest,
  reply: FastifyReply,
  session: Session,
  record: ParRecord,
  reference: string,
  forms: ClaimsForm[],
) {
  const pushed = record.request;
  return reply
    .header('cache-control', 'no-store')
    .header('content-security-policy', consentPolicy(pushed.redirect_uri))
    .view('pages/consent', {
      title: 'Authorize credential issuance',
      action: request.issuer.url('/authorize/consent'),
      reference,
      csrfToken: reply.generateCsrf(),
      clientId: record.client_id,
      redirectUri: pushed.redirect_uri,
      attested: pushed.client_instance_jkt !== null,
      dpopBound: pushed.dpop_jkt !== null,
      walletInitiated: pushed.wallet_initiated,
      sessionHref: `${request.issuer.basePath.replace(/\/s\/[^/]+$/, '')}/sessions/${session.id}`,
      sessionId: session.id,
      requested: pushed.requested.map((r) => ({
        id: r.credential_configuration_id,
        via: r.via,
        claims: r.claims ? r.claims.map((c) => JSON.stringify(c.path)).join(', ') : null,
      })),
      forms,
    });
}

const configurationsOf = (record: ParRecord) =>
  [...new Set(record.request.requested.map((r) => r.credential_configuration_id))].flatMap((id) => findConfiguration(id) ?? []);

function claimsForms(session: Session, record: ParRecord, submitted: Map<string, SubmittedClaims> = new Map()): ClaimsForm[] {
  return configurationsOf(record).map((config, i) => ({
    prefix: `c${i}.`,
    view: formView(config, 0, defaultClaims(session, config), submitted.get(config.id)),
  }));
}

/** The body's fields of one sub-form, without their prefix, as the Supply Claims parser reads them. */
function subForm(body: Record<string, unknown>, prefix: string): Record<string, unknown> | undefined {
  const entries = Object.entries(body)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, value]) => [name.slice(prefix.length), value] as const);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

const consentBody = z.object({ request_uri: z.string().min(1), decision: z.enum(['approve', 'deny']) }).passthrough();

export function authorizeRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function authorize(app: FastifyInstance): Promise<void> {
    app.get('/authorize', { config: { endpoint: '/authorize' } }, async (request, reply) => {
      const now = deps.now();
      const query = readAuthorizationQuery((request.query ?? {}) as Record<string, unknown>);
      const reference = referenceOf(query.requestUri);
      const record = reference === undefined ? undefined : await store.authorization.getPar(sha256Url(reference));
      if (record) request.trail.sessionId = record.session_id;
      const issuer = request.issuer.issuer;
      const decision = decideAuthorization(query, recordState(record, now), issuer);
      if (decision.action === 'error_page') return errorPage(request, reply, decision.failure, decision.findings);
      if (decision.action === 'redirect')
        return rejectionRedirect(request, reply, decision.failure, decision.findings, decision.location);
      request.trail.check(SUBJECT, decision.findings, { facts: { client_id: record!.client_id } });
      const session = (await store.sessions.get(record!.session_id))!;
      const approval = session.options.authorization_code?.approval ?? 'tester';
      // A wallet-initiated session has no session_url: the browser that decides on it gets it in its workspace.
      const workspace =
        record!.request.wallet_initiated && approval !== 'auto' ? ensureWorkspace(request, reply, deps.access) : undefined;
      const result = await request.trail
        .commit(store, reply, approval === 'auto' ? 303 : 200, async (tx) => {
          if (workspace !== undefined) await tx.sessions.addToWorkspace(workspace, session.id, now);
          // AUTH-02: single use, also when two browsers open the link at once.
          if (!(await tx.authorization.usePar(record!.reference_hash, now))) {
            throw new ProtocolError('AUTH-02.used', 'opened by a concurrent request', {
              findings: [...decision.findings, failure('AUTH-02.used')],
              subject: SUBJECT,
            });
          }
          await request.trail.event(
            tx,
            session.id,
            'authorization_started',
            { approval, client_id: record!.client_id, user_agent: request.headers['user-agent'] ?? null },
            now,
          );
          if (approval !== 'auto') return undefined;
          await tx.authorization.decidePar(record!.reference_hash, now);
          return issueCode(tx, request, deps, record!, 'auto');
        })
        .catch((error: unknown) => {
          if (error instanceof ProtocolError && error.diagnostic.id === 'AUTH-02.used') return { raced: error };
          throw error;
        });
      if (typeof result === 'object' && result !== null) {
        const fail = failure('AUTH-02.used', 'opened by a concurrent request');
        return rejectionRedirect(
          request,
          reply,
          fail,
          [...decision.findings, fail],
          errorRedirect(
            fail,
            {
              redirectUri: record!.request.redirect_uri,
              ...(record!.request.state !== undefined ? { state: record!.request.state } : {}),
            },
            issuer,
          ).location,
        );
      }
      if (typeof result === 'string') return successRedirect(reply, record!, result, issuer);
      return consentView(request, reply, session, record!, reference!, claimsForms(session, record!));
    });

    app.post(
      '/authorize/consent',
      { preHandler: app.csrfProtection, config: { endpoint: '/authorize' } },
      async (request, reply) => {
        const now = deps.now();
        const parsedBody = consentBody.safeParse(request.body);
        if (!parsedBody.success)
          throw new ProtocolError('HTTP.malformed_body', 'request_uri and decision (approve or deny) are needed');
        const body = parsedBody.data;
        const record = await store.authorization.getPar(sha256Url(body.request_uri));
        if (!record || record.used_at === null) {
          const fail = failure('AUTH-02.unknown');
          return errorPage(request, reply, fail, [fail]);
        }
        request.trail.sessionId = record.session_id;
        const issuer = request.issuer.issuer;
        const pushed = {
          redirectUri: record.request.redirect_uri,
          ...(record.request.state !== undefined ? { state: record.request.state } : {}),
        };
        if (record.decided_at !== null || now - record.used_at > CONSENT_TTL_MS) {
          const fail = failure(
            'AUTH-02.used',
            record.decided_at !== null ? 'this consent was already decided' : 'the consent page was open too long',
          );
          return rejectionRedirect(request, reply, fail, [fail], errorRedirect(fail, pushed, issuer).location);
        }
        const session = (await store.sessions.get(record.session_id))!;
        if (body.decision === 'deny') {
          const fail = failure('AUTH-03.denied');
          const location = errorRedirect(fail, pushed, issuer).location;
          await request.trail.commit(store, reply, 303, async (tx) => {
            if (!(await tx.authorization.decidePar(record.reference_hash, now)))
              throw new ProtocolError('AUTH-02.used', 'this consent was already decided');
            await request.trail.event(tx, session.id, 'consent_denied', { client_id: record.client_id }, now);
          });
          return reply.code(303).header('cache-control', 'no-store').redirect(location, 303);
        }
        // The claims the tester may have edited, checked like Supply Claims.
        const submitted = new Map<string, SubmittedClaims>();
        const claims: Record<string, Record<string, unknown>> = {};
        const raw = request.body as Record<string, unknown>;
        for (const [i, config] of configurationsOf(record).entries()) {
          const fields = subForm(raw, `c${i}.`);
          if (!fields) continue;
          const parsed = claimsFromForm(config, fields);
          const checked =
            parsed.problems.length === 0 ? checkClaims(config, parsed.claims) : { ok: false as const, problems: parsed.problems };
          if (checked.ok) claims[config.id] = checked.value;
          else
            submitted.set(config.id, {
              configurationId: config.id,
              mode: fields.mode === 'json' ? 'json' : 'fields',
              body: fields,
              problems: checked.problems,
            });
        }
        if (submitted.size > 0)
          return consentView(
            request,
            reply.code(400),
            session,
            record,
            body.request_uri,
            claimsForms(session, record, submitted),
          );
        const code = await request.trail.commit(store, reply, 303, async (tx) => {
          if (!(await tx.authorization.decidePar(record.reference_hash, now)))
            throw new ProtocolError('AUTH-02.used', 'this consent was already decided');
          if (Object.keys(claims).length > 0) await tx.sessions.setClaims(session.id, claims, now);
          await request.trail.event(
            tx,
            session.id,
            'consent_given',
            { client_id: record.client_id, claims_edited: Object.keys(claims) },
            now,
          );
          return issueCode(tx, request, deps, record, 'tester');
        });
        return successRedirect(reply, record, code, issuer);
      },
    );
  };
}
