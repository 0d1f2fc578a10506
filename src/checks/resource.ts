import { type Finding, failure } from './finding.ts';
import { parseAbsoluteUri } from './redirect-uri.ts';

/**
 * PAR-11 at the PAR endpoint, TOK-17 at the token endpoint: each resource value (RFC 8707 Section 2,
 * which allows several) is an absolute URI without fragment, else invalid_target. This issuer is its
 * own only resource server, so a value other than its identifier is accepted with a warning.
 * Call it when resource was sent.
 */
export function checkResource(values: readonly string[], issuer: string, rule: 'PAR-11' | 'TOK-17'): Finding {
  const malformed = values.find((value) => !parseAbsoluteUri(value) || value.includes('#'));
  if (malformed !== undefined) {
    return failure(
      rule,
      `"${malformed.slice(0, 200)}" is ${parseAbsoluteUri(malformed) ? 'a URI with a fragment' : 'not an absolute URI'}`,
    );
  }
  const foreign = values.filter((value) => value !== issuer);
  if (foreign.length > 0) {
    return {
      rule,
      outcome: 'warn',
      diagnostic: `${rule}.foreign`,
      detail: `${foreign.join(', ').slice(0, 300)} instead of ${issuer}`,
    };
  }
  return { rule, outcome: 'pass' };
}
