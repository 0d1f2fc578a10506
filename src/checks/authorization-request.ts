import { diagnostic, errorDescription } from '../diagnostics/index.ts';
import { type Failure, type Finding, Findings } from './finding.ts';
import { formParams } from './form-params.ts';
import { REQUEST_URI_PREFIX } from './par-request.ts';
import type { Rejection } from './sub-check.ts';

// The front channel: GET /authorize?client_id=...&request_uri=... after PAR (RFC 9126 Section 4),
// and the redirect back to the wallet (RFC 6749 Section 4.1.2, RFC 9207).

/** AUTH-04: codes live at most 60 s (FAPI 2.0 SP Section 5.3.2.1) and are single-use. */
export const AUTHORIZATION_CODE_TTL_S = 60;

export interface AuthorizationQuery {
  clientId?: string;
  /** Look it up as a PAR record only when it starts with REQUEST_URI_PREFIX; decideAuthorization refuses the rest. */
  requestUri?: string;
  /** client_id or request_uri sent more than once. */
  repeated: string[];
  /** Every other parameter: the pushed request is authoritative, so these are ignored (and noted). */
  ignored: string[];
}

export function readAuthorizationQuery(query: Record<string, unknown>): AuthorizationQuery {
  const params = formParams(query);
  const clientId = params.get('client_id');
  const requestUri = params.get('request_uri');
  return {
    ...(clientId === undefined ? {} : { clientId }),
    ...(requestUri === undefined ? {} : { requestUri }),
    repeated: params.repeated.filter((name) => name === 'client_id' || name === 'request_uri'),
    ignored: params.names.filter((name) => name !== 'client_id' && name !== 'request_uri'),
  };
}

/** The stored pushed request behind request_uri, as the store classified it (expiry: PAR_REQUEST_URI_TTL_S). */
export type ParRecordState =
  | { status: 'unknown' }
  | { status: 'ok' | 'expired' | 'used'; clientId: string; redirectUri: string; state?: string };

export interface Redirect {
  status: 303;
  location: string;
}

/**
 * AUTH-03: a request whose client_id or redirect_uri cannot be trusted gets an error page, never a
 * redirect; other errors go back to the pushed redirect_uri. 'consent' shows the consent page.
 */
export type AuthorizationDecision =
  | { action: 'consent'; findings: Finding[] }
  | { action: 'error_page'; failure: Failure; findings: Finding[] }
  | ({ action: 'redirect'; failure: Failure; findings: Finding[] } & Redirect);

/** AUTH-01, AUTH-02: what the authorization endpoint does with this query and the pushed request it names. */
export function decideAuthorization(query: AuthorizationQuery, record: ParRecordState, issuer: string): AuthorizationDecision {
  const f = new Findings();
  const page = ({ failure, findings }: Rejection): AuthorizationDecision => ({ action: 'error_page', failure, findings });
  const ignored = query.ignored.length > 0 ? query.ignored.join(', ').slice(0, 200) : undefined;
  if (query.requestUri === undefined) return page(f.fail('AUTH-01', ignored && `front-channel parameters ${ignored}`));
  f.pass('AUTH-01');
  if (query.repeated.length > 0) return page(f.fail('AUTH-02.repeated', query.repeated.join(', ')));
  if (query.clientId === undefined) return page(f.fail('AUTH-02.client_id_missing'));
  if (!query.requestUri.startsWith(REQUEST_URI_PREFIX))
    return page(f.fail('AUTH-02.request_uri', `"${query.requestUri.slice(0, 100)}"`));
  if (record.status === 'unknown') return page(f.fail('AUTH-02.unknown'));
  if (record.clientId !== query.clientId) {
    return page(
      f.fail('AUTH-02.client_id', `client_id "${query.clientId.slice(0, 100)}", pushed by "${record.clientId.slice(0, 100)}"`),
    );
  }
  // From here client_id and the pushed redirect_uri are trustworthy, so errors go back to the wallet.
  if (record.status === 'expired' || record.status === 'used') {
    const { failure, findings } = f.fail(record.status === 'expired' ? 'AUTH-02.expired' : 'AUTH-02.used');
    return { action: 'redirect', failure, findings, ...errorRedirect(failure, record, issuer) };
  }
  f.add([
    { rule: 'AUTH-02', outcome: 'pass', ...(ignored ? { detail: `ignored: ${ignored}`, data: { ignored: query.ignored } } : {}) },
  ]);
  return { action: 'consent', findings: [...f.list] };
}

export type AuthorizationResponseParams = ({ code: string } | { error: string; error_description?: string }) & {
  state?: string;
  iss: string;
};

/**
 * AUTH-04, AUTH-03: the 303 (never 307, which would repost the consent form) to the redirect URI,
 * whose own query is kept (RFC 6749 Section 3.1.2); iss per RFC 9207 Section 2. PAR-06 made sure
 * redirectUri has no fragment.
 */
export function authorizationResponse(redirectUri: string, params: AuthorizationResponseParams): Redirect {
  const entries: [string, string][] =
    'code' in params
      ? [['code', params.code]]
      : [
          ['error', params.error],
          ...(params.error_description === undefined
            ? []
            : [['error_description', errorDescription(params.error_description)] as [string, string]]),
        ];
  if (params.state !== undefined) entries.push(['state', params.state]);
  entries.push(['iss', params.iss]);
  const separator = !redirectUri.includes('?') ? '?' : /[?&]$/.test(redirectUri) ? '' : '&';
  return { status: 303, location: `${redirectUri}${separator}${new URLSearchParams(entries).toString()}` };
}

/** An error redirect for a failure of a request whose pushed redirect_uri is trusted (also the consent page's AUTH-03.denied). */
export function errorRedirect(failure: Failure, pushed: { redirectUri: string; state?: string }, issuer: string): Redirect {
  const d = diagnostic(failure.diagnostic);
  return authorizationResponse(pushed.redirectUri, {
    error: d.error,
    error_description: failure.detail ? `${d.title}: ${failure.detail}` : d.title,
    ...(pushed.state === undefined ? {} : { state: pushed.state }),
    iss: issuer,
  });
}
