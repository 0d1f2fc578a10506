import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Finding, failure } from '../../checks/finding.ts';
import type { FormParams } from '../../checks/form-params.ts';
import { type DiagnosticId, ProtocolError, type RejectionContext } from '../../diagnostics/index.ts';
import type { Session } from '../../domain/session.ts';
import { acceptedAlgs } from '../../issuance/metadata.ts';
import { authenticateClient } from '../client-attestation-step.ts';
import type { AppDeps } from '../deps.ts';
import { verifyDpop } from '../dpop-step.ts';

export const SUBJECT = 'Token request';

/** What the token endpoint hands each grant module once TOK-01 and TOK-02 passed. */
export interface GrantContext {
  request: FastifyRequest;
  reply: FastifyReply;
  deps: AppDeps;
  params: FormParams;
  /** The findings so far (TOK-01, TOK-02); a grant adds its own. */
  findings: Finding[];
}

/** Throws the ProtocolError of this diagnostic with the findings so far; `commit` stores what the refusal changes (a revocation). */
export function refuse(ctx: GrantContext, id: DiagnosticId, detail?: string, commit?: RejectionContext['commit']): never {
  throw new ProtocolError(id, detail, {
    findings: [...ctx.findings, failure(id, detail)],
    subject: SUBJECT,
    ...(commit ? { commit } : {}),
  });
}

/** A check's failure with the endpoint's findings before it. */
export function refuseChecked(
  ctx: GrantContext,
  checked: { failure: Finding & { diagnostic: DiagnosticId }; findings: readonly Finding[] },
  commit?: RejectionContext['commit'],
): never {
  throw new ProtocolError(checked.failure.diagnostic, checked.failure.detail, {
    findings: [...ctx.findings, ...checked.findings],
    subject: SUBJECT,
    ...(commit ? { commit } : {}),
  });
}

/**
 * DPoP (TOK-13 where the session demands it) and client authentication, shared by the code and
 * refresh grants: their checks need the proof key and the client. Without a known session there is
 * nothing to verify against, and the grant check refuses the code or token itself.
 */
export async function proofKeyAndClient(ctx: GrantContext, session: Session | undefined) {
  const { request, deps, params } = ctx;
  const hasDpop = request.headers.dpop !== undefined;
  if (session?.options.require_dpop && !hasDpop) refuse(ctx, 'TOK-13');
  const dpop =
    hasDpop && session
      ? await verifyDpop(request, deps, {
          path: '/token',
          requireNonce: session.options.dpop_nonce,
          algs: acceptedAlgs(session.options),
        })
      : undefined;
  const client = session
    ? await authenticateClient(request, deps, session, params.get('client_id'))
    : { clientId: params.get('client_id') ?? null, instanceJkt: null };
  return { dpop, client };
}
