import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Finding, failure } from '../../checks/finding.ts';
import type { FormParams } from '../../checks/form-params.ts';
import { type DiagnosticId, ProtocolError, type RejectionContext } from '../../diagnostics/index.ts';
import type { AppDeps } from '../deps.ts';

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
