import type { CredentialConfiguration } from '../issuance/configurations.ts';
import { type ClaimsDescription, parseClaimsDescriptions } from './claims-description.ts';
import { type Checked, Findings } from './finding.ts';
import { isObject } from './jose-helpers.ts';

// How a wallet names the credentials it wants authorised: authorization_details of type
// openid_credential (OID4VCI 1.0 Section 5.1.1, RFC 9396) and scope values (Section 5.1.2).

export const OPENID_CREDENTIAL = 'openid_credential';

/** What the checks need of a credential configuration; pass credentialConfigurations. */
export type KnownConfigurations = readonly Pick<CredentialConfiguration, 'id' | 'scope'>[];

/** An openid_credential entry as sent; additional fields are allowed and kept (Section 5.1.1). */
export interface OpenIdCredentialDetail {
  [field: string]: unknown;
  type: typeof OPENID_CREDENTIAL;
  credential_configuration_id: string;
  claims?: ClaimsDescription[];
  locations?: string[];
}

/** One credential configuration the wallet asked for, and which parameter asked for it. */
export interface RequestedCredential {
  credential_configuration_id: string;
  claims?: ClaimsDescription[];
  via: 'scope' | 'authorization_details';
}

export interface AuthorizationDetailsContext {
  /** The Credential Issuer Identifier, which is also this authorization server. */
  issuer: string;
  configurations: KnownConfigurations;
}

/**
 * PAR-09, also applied to authorization_details at the token endpoint (OID4VCI 1.0 Section 6.1.1):
 * a JSON string (form body) or an already parsed array. Draft-13 entries (format instead of
 * credential_configuration_id) are named as such (D13-C1).
 */
export function checkAuthorizationDetails(value: unknown, ctx: AuthorizationDetailsContext): Checked<OpenIdCredentialDetail[]> {
  const f = new Findings();
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch (error) {
      return f.fail('PAR-09.json', (error as Error).message);
    }
  }
  if (!Array.isArray(parsed) || parsed.length === 0)
    return f.fail('PAR-09.shape', Array.isArray(parsed) ? 'the array is empty' : `got ${typeof parsed}`);
  const entries: OpenIdCredentialDetail[] = [];
  for (const [index, entry] of parsed.entries()) {
    const at = `authorization_details[${index}]`;
    if (!isObject(entry)) return f.fail('PAR-09.shape', `${at} is not an object`);
    if (entry.type !== OPENID_CREDENTIAL) return f.fail('PAR-09.type', `${at}.type is ${JSON.stringify(entry.type ?? null)}`);
    const id = entry.credential_configuration_id;
    if (id === undefined && entry.format !== undefined)
      return f.fail('D13-C1.authorization_details', `${at} has format ${JSON.stringify(entry.format)}`);
    if (typeof id !== 'string' || id === '')
      return f.fail('PAR-09.configuration_id', `${at}.credential_configuration_id is ${JSON.stringify(id ?? null)}`);
    if (!ctx.configurations.some((c) => c.id === id))
      return f.fail('PAR-09.unknown_configuration', `${at}: "${id.slice(0, 200)}"`);
    const detail: OpenIdCredentialDetail = { ...entry, type: OPENID_CREDENTIAL, credential_configuration_id: id };
    if (entry.claims !== undefined) {
      const claims = parseClaimsDescriptions(entry.claims);
      if (!claims.ok) return f.fail('PAR-09.claims', `${at}: ${claims.problem}`);
      detail.claims = claims.claims;
    }
    if (entry.locations !== undefined) {
      const locations = entry.locations;
      if (!Array.isArray(locations) || !locations.every((l) => typeof l === 'string'))
        return f.fail('PAR-09.locations', `${at}.locations is not an array of strings`);
      if (!locations.includes(ctx.issuer))
        return f.fail('PAR-09.locations', `${at}.locations ${JSON.stringify(locations).slice(0, 200)} lacks ${ctx.issuer}`);
    }
    entries.push(detail);
  }
  f.pass('PAR-09');
  return f.ok(entries);
}

/**
 * PAR-08 and AUTH-05: the configurations a request asks for. Each scope value (RFC 6749 Section 3.3,
 * space-delimited) names the configuration with that scope; unknown values are ignored. An
 * authorization_details entry replaces the scope request for the same configuration.
 */
export function checkRequestedCredentials(
  scope: string | undefined,
  details: readonly OpenIdCredentialDetail[] | undefined,
  configurations: KnownConfigurations,
): Checked<RequestedCredential[]> {
  const f = new Findings();
  const scopeValues = [...new Set(scope?.split(' ').filter(Boolean) ?? [])];
  const idOfScope = new Map(configurations.map((c) => [c.scope, c.id]));
  const known = scopeValues.flatMap((value) => idOfScope.get(value) ?? []);
  const ignored = scopeValues.filter((value) => !idOfScope.has(value));
  const ignoredNote = ignored.length > 0 ? `unknown scope values ignored: ${ignored.join(' ').slice(0, 200)}` : undefined;
  if (known.length === 0 && details === undefined)
    return f.fail('PAR-08', ignoredNote ?? 'neither scope nor authorization_details was sent');
  if (scopeValues.length > 0) f.add([{ rule: 'PAR-08', outcome: 'pass', ...(ignoredNote ? { detail: ignoredNote } : {}) }]);

  const fromDetails: RequestedCredential[] = (details ?? []).map((d) => ({
    credential_configuration_id: d.credential_configuration_id,
    ...(d.claims ? { claims: d.claims } : {}),
    via: 'authorization_details',
  }));
  const inDetails = new Set(fromDetails.map((r) => r.credential_configuration_id));
  const overridden = known.filter((id) => inDetails.has(id));
  if (known.length > 0 && details !== undefined) {
    f.add([
      {
        rule: 'AUTH-05',
        outcome: 'pass',
        ...(overridden.length > 0 ? { detail: `authorization_details used instead of scope for ${overridden.join(', ')}` } : {}),
      },
    ]);
  }
  const fromScope = known
    .filter((id) => !inDetails.has(id))
    .map((id): RequestedCredential => ({ credential_configuration_id: id, via: 'scope' }));
  return f.ok([...fromDetails, ...fromScope]);
}
