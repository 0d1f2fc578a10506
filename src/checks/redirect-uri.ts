import { type Finding, failure } from './finding.ts';

// Wallets are native apps without registered redirect URIs: they push redirect_uri with every request
// (FAPI 2.0 SP Section 5.3.2.2-6) as a claimed https URL, a private-use scheme or a loopback URL (RFC 8252 Section 7).

// RFC 3986 Section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":".
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
const WHITESPACE_OR_CONTROL = /[\s\x00-\x1f\x7f]/;
// Schemes a browser runs or reads locally instead of handing the response to an app.
const DANGEROUS_SCHEMES: readonly string[] = [
  'javascript',
  'vbscript',
  'data',
  'file',
  'blob',
  'filesystem',
  'about',
  'view-source',
];
// RFC 8252 Section 7.3; localhost is tolerated with a warning (Section 8.3).
const LOOPBACK_LITERALS: readonly string[] = ['127.0.0.1', '[::1]'];

export interface AbsoluteUri {
  /** Lower-case scheme without the colon. */
  scheme: string;
  url: URL;
}

/** RFC 3986 Section 4.3 absolute URI (scheme, then the rest) without whitespace; undefined otherwise. */
export function parseAbsoluteUri(value: string): AbsoluteUri | undefined {
  const scheme = SCHEME.exec(value)?.[1];
  if (scheme === undefined || WHITESPACE_OR_CONTROL.test(value)) return undefined;
  try {
    return { scheme: scheme.toLowerCase(), url: new URL(value) };
  } catch {
    return undefined;
  }
}

/** PAR-06: the redirect_uri of a pushed authorization request. */
export function checkRedirectUri(value: string | undefined): Finding {
  if (value === undefined) return failure('PAR-06.missing');
  const uri = parseAbsoluteUri(value);
  if (!uri) return failure('PAR-06.syntax', `"${value.slice(0, 200)}" is not an absolute URI`);
  // RFC 6749 Section 3.1.2; an empty fragment ("#" alone) is still a fragment component.
  if (value.includes('#')) return failure('PAR-06.fragment');
  if (DANGEROUS_SCHEMES.includes(uri.scheme)) return failure('PAR-06.scheme', `scheme ${uri.scheme}:`);
  if (uri.scheme === 'https' || uri.scheme === 'http') {
    // The WHATWG parser would read "https:/cb" as https://cb/; RFC 3986 needs the authority.
    if (!/^https?:\/\/[^/?]/i.test(value)) return failure('PAR-06.syntax', `${uri.scheme} URI without a host`);
  }
  if (uri.scheme === 'http') {
    const host = uri.url.hostname;
    if (host === 'localhost') return { rule: 'PAR-06', outcome: 'warn', diagnostic: 'PAR-06.localhost' };
    if (!LOOPBACK_LITERALS.includes(host)) return failure('PAR-06.http', `http host ${host} is not a loopback address`);
  }
  return { rule: 'PAR-06', outcome: 'pass' };
}

/** TOK-10: the token request repeats the pushed redirect_uri, identical as a string (RFC 6749 Section 4.1.3). */
export function checkTokenRedirectUri(sent: string | undefined, pushed: string): Finding {
  if (sent === undefined) return failure('TOK-10.missing');
  if (sent !== pushed) return failure('TOK-10.mismatch', `"${sent.slice(0, 200)}" instead of "${pushed.slice(0, 200)}"`);
  return { rule: 'TOK-10', outcome: 'pass' };
}
