import type { FastifyRequest } from 'fastify';
import { ProtocolError } from '../diagnostics/index.ts';
import type { AccessTokenRecord } from '../domain/grants.ts';
import type { Session } from '../domain/session.ts';
import type { ValidDpopProof } from '../checks/dpop.ts';
import type { AppDeps } from './deps.ts';
import { verifyDpop } from './dpop-step.ts';
import { hashToken } from './token.ts';
import { isObject } from '../checks/jose-helpers.ts';

export interface AuthorizedRequest {
  token: AccessTokenRecord;
  session: Session;
  dpop?: ValidDpopProof;
}

/** RFC 6750 and RFC 9449 Section 7 for protected resources (CRED-02..05, DPOP-11, DPOP-12). */
export async function authorizeResourceRequest(request: FastifyRequest, deps: AppDeps, path: string): Promise<AuthorizedRequest> {
  const query = request.query as Record<string, unknown> | undefined;
  if (query?.access_token !== undefined || (isObject(request.body) && request.body.access_token !== undefined)) {
    throw new ProtocolError('CRED-02', query?.access_token !== undefined ? 'access_token in the query string' : 'access_token in the body');
  }
  const header = request.headers.authorization;
  const match = header ? /^(\S+)\s+(\S+)$/.exec(header) : null;
  if (!match) throw new ProtocolError('CRED-03.missing', header ? 'Authorization header is not "<scheme> <token>"' : undefined);
  const scheme = match[1]!.toLowerCase();
  const accessToken = match[2]!;
  if (scheme !== 'dpop' && scheme !== 'bearer') throw new ProtocolError('CRED-03.missing', `unsupported scheme "${match[1]}"`);

  const token = await deps.store.tokens.get(hashToken(accessToken));
  if (!token) throw new ProtocolError('CRED-03.unknown');
  request.trail.sessionId = token.session_id;
  request.trail.tokenType = token.token_type;
  const now = deps.now();
  if (token.expires_at <= now) throw new ProtocolError('CRED-03.expired', `expired ${Math.round((now - token.expires_at) / 1000)} s ago`);
  const session = (await deps.store.sessions.get(token.session_id))!;

  if (token.token_type === 'Bearer') {
    if (scheme === 'dpop') throw new ProtocolError('CRED-04.bearer_as_dpop');
    return { token, session };
  }
  if (scheme !== 'dpop') throw new ProtocolError('CRED-04.scheme', `scheme "${match[1]}"`);
  if (request.headers.dpop === undefined) throw new ProtocolError('CRED-04.proof_missing');
  const dpop = await verifyDpop(request, deps, { path, accessToken, requireNonce: session.options.dpop_nonce });
  if (dpop.jkt !== token.dpop_jkt) throw new ProtocolError('DPOP-12', `proof key ${dpop.jkt}, token bound to ${token.dpop_jkt}`);
  return { token, session, dpop };
}
