import type { FastifyRequest } from 'fastify';
import type { ValidDpopProof } from '../checks/dpop.ts';
import { type Finding, failure } from '../checks/finding.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { type DiagnosticId, ProtocolError } from '../diagnostics/index.ts';
import type { AccessTokenRecord } from '../domain/grants.ts';
import type { Session } from '../domain/session.ts';
import { acceptedAlgs } from '../issuance/metadata.ts';
import type { AppDeps } from './deps.ts';
import { verifyDpop } from './dpop-step.ts';
import { hashToken } from './token.ts';

export interface AuthorizedRequest {
  token: AccessTokenRecord;
  session: Session;
  dpop?: ValidDpopProof;
}

const SUBJECT = 'Access token';

/** RFC 6750 and RFC 9449 Section 7 for protected resources (CRED-02..05, DPOP-11, DPOP-12). */
export async function authorizeResourceRequest(request: FastifyRequest, deps: AppDeps, path: string): Promise<AuthorizedRequest> {
  const findings: Finding[] = [];
  const refuse = (id: DiagnosticId, detail?: string): never => {
    throw new ProtocolError(id, detail, { findings: [...findings, failure(id, detail)], subject: SUBJECT });
  };
  const query = request.query as Record<string, unknown> | undefined;
  const misplaced = query?.access_token ?? (isObject(request.body) ? request.body.access_token : undefined);
  if (misplaced !== undefined) {
    // A token we issued names its session, whose log and report should show the mistake.
    const known = typeof misplaced === 'string' ? await deps.store.tokens.get(hashToken(misplaced)) : undefined;
    if (known) request.trail.sessionId = known.session_id;
    refuse('CRED-02', query?.access_token !== undefined ? 'access_token in the query string' : 'access_token in the body');
  }
  findings.push({ rule: 'CRED-02', outcome: 'pass' });
  const header = request.headers.authorization;
  const match = header ? /^(\S+)\s+(\S+)$/.exec(header) : null;
  if (!match) return refuse('CRED-03.missing', header ? 'Authorization header is not "<scheme> <token>"' : undefined);
  const scheme = match[1]!.toLowerCase();
  const accessToken = match[2]!;
  if (scheme !== 'dpop' && scheme !== 'bearer') refuse('CRED-03.missing', `unsupported scheme "${match[1]}"`);

  const token = await deps.store.tokens.get(hashToken(accessToken));
  if (!token) return refuse('CRED-03.unknown');
  request.trail.sessionId = token.session_id;
  request.trail.tokenType = token.token_type;
  const now = deps.now();
  if (token.revoked_at != null) refuse('CRED-03.revoked', `revoked ${Math.round((now - token.revoked_at) / 1000)} s ago`);
  if (token.expires_at <= now) refuse('CRED-03.expired', `expired ${Math.round((now - token.expires_at) / 1000)} s ago`);
  findings.push({ rule: 'CRED-03', outcome: 'pass' });
  const session = (await deps.store.sessions.get(token.session_id))!;

  if (token.token_type === 'Bearer') {
    if (scheme === 'dpop') refuse('CRED-04.bearer_as_dpop');
    findings.push({ rule: 'CRED-04', outcome: 'pass' });
    request.trail.check(SUBJECT, findings, { facts: { token_type: 'Bearer' } });
    return { token, session };
  }
  if (scheme !== 'dpop') refuse('CRED-04.scheme', `scheme "${match[1]}"`);
  if (request.headers.dpop === undefined) refuse('CRED-04.proof_missing');
  findings.push({ rule: 'CRED-04', outcome: 'pass' });
  const dpop = await verifyDpop(request, deps, {
    path,
    accessToken,
    requireNonce: session.options.dpop_nonce,
    algs: acceptedAlgs(session.options),
  });
  if (dpop.jkt !== token.dpop_jkt) refuse('DPOP-12', `proof key ${dpop.jkt}, token bound to ${token.dpop_jkt}`);
  findings.push({ rule: 'DPOP-12', outcome: 'pass' });
  request.trail.check(SUBJECT, findings, { facts: { token_type: 'DPoP', dpop_jkt: token.dpop_jkt } });
  return { token, session, dpop };
}
