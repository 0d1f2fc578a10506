import {
  type AuthorizationDetailsContext,
  checkAuthorizationDetails,
  checkRequestedCredentials,
  type OpenIdCredentialDetail,
  type RequestedCredential,
} from './authorization-details.ts';
import { type Checked, type Finding, Findings, failure } from './finding.ts';
import { formParams } from './form-params.ts';
import { isObject } from './jose-helpers.ts';
import { checkCodeChallenge, isBase64urlSha256, PKCE_METHOD } from './pkce.ts';
import { checkRedirectUri } from './redirect-uri.ts';
import { checkResource } from './resource.ts';
import { failedWith, within } from './sub-check.ts';

// The body of a pushed authorization request (RFC 9126 Section 2.1, FAPI 2.0 SP Section 5.3.2.2,
// OID4VCI 1.0 Section 5.1). Client authentication (PAR-02, PAR-07 against the attestation sub) and
// the DPoP proof are the endpoint's steps before this one; issuer_state is returned for its lookup.

/** PAR-13: FAPI 2.0 wants expires_in below 600 s; 60 s is enough to open the browser. */
export const PAR_REQUEST_URI_TTL_S = 60;
export const REQUEST_URI_PREFIX = 'urn:ietf:params:oauth:request_uri:';

const KNOWN_PARAMETERS: readonly string[] = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'authorization_details',
  'issuer_state',
  'resource',
  'dpop_jkt',
  'request_uri',
];

export interface ParsedParRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  codeChallengeMethod: typeof PKCE_METHOD;
  /** The scope parameter as sent. */
  scope?: string;
  requested: RequestedCredential[];
  authorizationDetails?: OpenIdCredentialDetail[];
  /** Match it against the offers (issuerStateFinding): it may have been injected. */
  issuerState?: string;
  /** Echoed in the authorization response. */
  state?: string;
  resource?: string[];
  /** The key the code is bound to (RFC 9449 Section 10): the PAR DPoP proof's, else dpop_jkt. */
  dpopJkt?: string;
}

export interface ParRequest {
  mediaType: string;
  body: unknown;
  /** Thumbprint of the verified DPoP proof of this PAR request, when it carried one. */
  dpopProofJkt?: string;
}

export function checkParRequest(request: ParRequest, ctx: AuthorizationDetailsContext): Checked<ParsedParRequest> {
  const f = new Findings();
  if (request.mediaType !== 'application/x-www-form-urlencoded' || !isObject(request.body)) {
    return f.fail('PAR-01.content_type', `Content-Type ${request.mediaType || '(none)'}`);
  }
  const params = formParams(request.body, ['resource']);
  if (params.repeated.length > 0) return f.fail('PAR-01.repeated', params.repeated.join(', '));
  f.pass('PAR-01');
  if (params.get('request_uri') !== undefined) return f.fail('PAR-03');
  f.pass('PAR-03');

  const responseType = params.get('response_type');
  if (responseType === undefined) return f.fail('PAR-04.missing');
  if (responseType !== 'code') return f.fail('PAR-04.unsupported', `response_type "${responseType.slice(0, 100)}"`);
  f.pass('PAR-04');
  const codeChallenge = params.get('code_challenge');
  const pkce = failedWith(f, checkCodeChallenge(codeChallenge, params.get('code_challenge_method')));
  if (pkce) return pkce;
  const redirectUri = params.get('redirect_uri');
  const redirect = failedWith(f, checkRedirectUri(redirectUri));
  if (redirect) return redirect;
  const clientId = params.get('client_id');
  if (clientId === undefined) return f.fail('PAR-07');
  f.pass('PAR-07');

  const rawDetails = params.get('authorization_details');
  const details = rawDetails === undefined ? undefined : within(f, checkAuthorizationDetails(rawDetails, ctx));
  if (details && !details.ok) return details;
  const scope = params.get('scope');
  const requested = within(f, checkRequestedCredentials(scope, details?.value, ctx.configurations));
  if (!requested.ok) return requested;

  const resource = params.all('resource');
  if (resource.length > 0) {
    const target = failedWith(f, checkResource(resource, ctx.issuer, 'PAR-11'));
    if (target) return target;
  }
  const paramJkt = params.get('dpop_jkt');
  // RFC 9449 Section 10: dpop_jkt is the base64url RFC 7638 SHA-256 thumbprint.
  if (paramJkt !== undefined && !isBase64urlSha256(paramJkt)) return f.fail('PAR-12.syntax', `${paramJkt.length} characters`);
  const dpopJkt = request.dpopProofJkt ?? paramJkt;
  if (dpopJkt !== undefined) {
    const binding = failedWith(f, dpopJktFinding(paramJkt, request.dpopProofJkt));
    if (binding) return binding;
  }
  const ignored = params.names.filter((name) => !KNOWN_PARAMETERS.includes(name));
  f.add([
    {
      rule: 'PAR-14',
      outcome: 'pass',
      ...(ignored.length > 0 ? { detail: `ignored: ${ignored.join(', ').slice(0, 300)}`, data: { ignored } } : {}),
    },
  ]);

  const issuerState = params.get('issuer_state');
  const state = params.get('state');
  return f.ok({
    clientId,
    redirectUri: redirectUri!,
    codeChallenge: codeChallenge!,
    codeChallengeMethod: PKCE_METHOD,
    requested: requested.value,
    ...(scope === undefined ? {} : { scope }),
    ...(details ? { authorizationDetails: details.value } : {}),
    ...(issuerState === undefined ? {} : { issuerState }),
    ...(state === undefined ? {} : { state }),
    ...(resource.length > 0 ? { resource } : {}),
    ...(dpopJkt === undefined ? {} : { dpopJkt }),
  });
}

/** PAR-12: with both a DPoP header and dpop_jkt, both must name the key the code is bound to (RFC 9449 Section 10.1). */
export function dpopJktFinding(paramJkt: string | undefined, headerJkt: string | undefined): Finding {
  if (paramJkt !== undefined && headerJkt !== undefined && paramJkt !== headerJkt) {
    return failure('PAR-12.mismatch', `dpop_jkt ${paramJkt}, DPoP proof key ${headerJkt}`);
  }
  return { rule: 'PAR-12', outcome: 'pass' };
}

/** PAR-10 once the endpoint looked issuer_state up among the valid offers; unknown ones only warn (OID4VCI 1.0 Section 5.1.3). */
export function issuerStateFinding(offerFound: boolean): Finding {
  return offerFound ? { rule: 'PAR-10', outcome: 'pass' } : { rule: 'PAR-10', outcome: 'warn', diagnostic: 'PAR-10.unknown' };
}

/** PAR-13: the 201 body for a stored request; reference is a fresh random value. */
export function pushedAuthorizationResponse(reference: string): { request_uri: string; expires_in: number } {
  return { request_uri: `${REQUEST_URI_PREFIX}${reference}`, expires_in: PAR_REQUEST_URI_TTL_S };
}
