// OID4VCI 1.0 Section 6 (token endpoint): the form, the grant type, then one module per grant.
import type { FastifyInstance } from 'fastify';
import type { Finding } from '../checks/finding.ts';
import { formParams } from '../checks/form-params.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { AUTHORIZATION_CODE_GRANT, PRE_AUTHORIZED_GRANT, REFRESH_TOKEN_GRANT } from '../issuance/metadata.ts';
import type { AppDeps } from './deps.ts';
import { authorizationCodeGrant } from './grants/authorization-code.ts';
import { type GrantContext, refuse } from './grants/grant-context.ts';
import { preAuthorizedCodeGrant } from './grants/pre-authorized-code.ts';
import { refreshTokenGrant } from './grants/refresh-token.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';

export { BEARER_TOKEN_TTL_S, DPOP_TOKEN_TTL_S, hashToken, REFRESH_TOKEN_TTL_S } from './grants/issue-tokens.ts';
export { MAX_TX_CODE_ATTEMPTS } from './grants/pre-authorized-code.ts';

const GRANTS: Record<string, (ctx: GrantContext) => Promise<unknown>> = {
  [PRE_AUTHORIZED_GRANT]: preAuthorizedCodeGrant,
  [AUTHORIZATION_CODE_GRANT]: authorizationCodeGrant,
  [REFRESH_TOKEN_GRANT]: refreshTokenGrant,
};

export function tokenRoutes(deps: AppDeps) {
  return async function token(app: FastifyInstance): Promise<void> {
    app.post(
      '/token',
      { config: { endpoint: '/token', malformedBody: 'TOK-01.content_type', wrongMediaType: 'TOK-01.content_type' } },
      async (request, reply) => {
        const findings: Finding[] = [];
        const body = isObject(request.body) ? request.body : {};
        const ctx: GrantContext = { request, reply, deps, params: formParams(body, ['resource']), findings };
        if (mediaType(request) !== 'application/x-www-form-urlencoded' || !isObject(request.body)) {
          refuse(ctx, 'TOK-01.content_type', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
        }
        findings.push({ rule: 'TOK-01', outcome: 'pass' });
        const grantType = ctx.params.get('grant_type');
        if (!grantType) refuse(ctx, 'TOK-02.missing');
        const grant = GRANTS[grantType!];
        if (!grant) refuse(ctx, 'TOK-02.unsupported', `grant_type "${grantType}"`);
        findings.push({ rule: 'TOK-02', outcome: 'pass' });
        return grant!(ctx);
      },
    );
    rejectOtherMethods(app, '/token', '/token');
  };
}
