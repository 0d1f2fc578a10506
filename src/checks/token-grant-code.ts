import {
  type AuthorizationDetailsContext,
  checkAuthorizationDetails,
  type OpenIdCredentialDetail,
  type RequestedCredential,
} from './authorization-details.ts';
import { AUTHORIZATION_CODE_TTL_S } from './authorization-request.ts';
import { type Checked, Findings } from './finding.ts';
import { checkCodeVerifier } from './pkce.ts';
import { checkTokenRedirectUri } from './redirect-uri.ts';
import { failedWith, within } from './sub-check.ts';

// grant_type=authorization_code at /token (RFC 6749 Section 4.1.3, OID4VCI 1.0 Section 6.1), after
// client authentication and DPoP proof verification; the caller redeems the code in one transaction.

/** The code as stored when the consent page issued it. */
export interface AuthorizationCodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  /** RFC 9449 Section 10: the thumbprint from dpop_jkt or the PAR DPoP proof; null when the code is unbound. */
  dpopJkt: string | null;
  /** What the user consented to: the requested credentials of the pushed request. */
  authorized: RequestedCredential[];
  issuedAt: number;
  redeemedAt: number | null;
}

export interface CodeGrantRequest {
  code: string | undefined;
  redirectUri: string | undefined;
  codeVerifier: string | undefined;
  /** The attested sub, else the client_id parameter; null when the client did not identify itself. */
  clientId: string | null;
  /** Thumbprint of this request's verified DPoP proof. */
  dpopJkt: string | undefined;
  /** The authorization_details parameter as sent. */
  authorizationDetails: string | undefined;
  txCode: string | undefined;
}

export interface ValidCodeGrant {
  /** What the tokens cover: the consented credentials, or the subset the token request narrowed them to. */
  authorized: RequestedCredential[];
}

export interface CodeGrantContext extends AuthorizationDetailsContext {
  nowMs: number;
}

/** On TOK-09.reused the caller revokes every token issued from this code (RFC 6749 Section 10.5). */
export type CodeGrantResult = Checked<ValidCodeGrant> & { revokeTokensOfCode: boolean };

export function checkCodeGrant(
  request: CodeGrantRequest,
  record: AuthorizationCodeRecord | undefined,
  ctx: CodeGrantContext,
): CodeGrantResult {
  const result = codeGrant(request, record, ctx);
  return { ...result, revokeTokensOfCode: !result.ok && result.failure.diagnostic === 'TOK-09.reused' };
}

function codeGrant(
  request: CodeGrantRequest,
  record: AuthorizationCodeRecord | undefined,
  ctx: CodeGrantContext,
): Checked<ValidCodeGrant> {
  const f = new Findings();
  if (request.txCode !== undefined) return f.fail('TOK-06.grant');
  if (request.code === undefined) return f.fail('TOK-09.missing');
  if (!record) return f.fail('TOK-09.unknown');
  if (record.redeemedAt !== null)
    return f.fail('TOK-09.reused', `redeemed ${Math.round((ctx.nowMs - record.redeemedAt) / 1000)} s ago`);
  const ageMs = ctx.nowMs - record.issuedAt;
  if (ageMs >= AUTHORIZATION_CODE_TTL_S * 1000)
    return f.fail('TOK-09.expired', `issued ${Math.round(ageMs / 1000)} s ago, valid ${AUTHORIZATION_CODE_TTL_S} s`);
  if (request.clientId === null) return f.fail('TOK-12.missing');
  f.pass('TOK-12');
  if (request.clientId !== record.clientId)
    return f.fail('TOK-09.client', `client_id "${request.clientId.slice(0, 100)}", code of "${record.clientId.slice(0, 100)}"`);
  f.pass('TOK-09');

  const redirect = failedWith(f, checkTokenRedirectUri(request.redirectUri, record.redirectUri));
  if (redirect) return redirect;
  const verifier = failedWith(f, checkCodeVerifier(request.codeVerifier, record.codeChallenge));
  if (verifier) return verifier;
  if (record.dpopJkt !== null) {
    if (request.dpopJkt === undefined) return f.fail('TOK-15.no_proof');
    if (request.dpopJkt !== record.dpopJkt)
      return f.fail('TOK-15.mismatch', `proof key ${request.dpopJkt}, code bound to ${record.dpopJkt}`);
    f.pass('TOK-15');
  }

  if (request.authorizationDetails === undefined) return f.ok({ authorized: record.authorized });
  const details = within(f, checkAuthorizationDetails(request.authorizationDetails, ctx));
  if (!details.ok) return details;
  const narrowed: RequestedCredential[] = [];
  for (const detail of details.value) {
    const granted = grantedFor(detail, record.authorized);
    if (typeof granted === 'string') return f.fail('TOK-16.not_authorised', granted);
    narrowed.push(granted);
  }
  f.pass('TOK-16');
  return f.ok({ authorized: narrowed });
}

/**
 * TOK-16: a token request entry within the consent: its configuration was authorised and, where the
 * consent named claims, its claims are among them. Returns what it grants, or why it asks for more.
 */
function grantedFor(detail: OpenIdCredentialDetail, authorized: readonly RequestedCredential[]): RequestedCredential | string {
  const id = detail.credential_configuration_id;
  const candidates = authorized.filter((a) => a.credential_configuration_id === id);
  if (candidates.length === 0)
    return `${id} was not authorised (authorised: ${authorized.map((a) => a.credential_configuration_id).join(', ')})`;
  const paths = (claims: RequestedCredential['claims']) => new Set((claims ?? []).map((c) => JSON.stringify(c.path)));
  const consent = candidates.find(
    (a) => a.claims === undefined || [...paths(detail.claims)].every((p) => paths(a.claims).has(p)),
  );
  if (!consent) return `${id}: claims beyond the consented ones`;
  const claims = detail.claims ?? consent.claims;
  return { credential_configuration_id: id, ...(claims ? { claims } : {}), via: 'authorization_details' };
}
