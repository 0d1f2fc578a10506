import { formatOf } from '../formats/index.ts';
import { type CredentialConfiguration, credentialConfigurations, findConfiguration } from '../issuance/configurations.ts';
import { type Checked, Findings } from './finding.ts';
import { isObject } from './jose-helpers.ts';
import type { CredentialIdentifier } from './token-response.ts';

export interface ParsedCredentialRequest {
  configuration: CredentialConfiguration;
  proofType: string;
  proofValues: unknown[];
}

// Draft 13 Appendix A: the member that names the credential type beside `format`.
const DRAFT13_TYPE_MEMBERS = ['vct', 'doctype', 'credential_definition'] as const;

/** D13-C1: what the draft-13 request asked for, and the credential_configuration_id asking for it in 1.0. */
function draft13Detail(body: Record<string, unknown>): string {
  const sent = ['format', ...DRAFT13_TYPE_MEMBERS]
    .filter((member) => body[member] !== undefined)
    .map((member) => `${member} ${JSON.stringify(body[member]).slice(0, 120)}`)
    .join(', ');
  const ids = credentialConfigurations
    .filter((config) => formatOf(config).requestedByDraft13(config, body))
    .map((config) => `"${config.id}"`);
  const instead = `${sent} sent instead of credential_configuration_id`;
  return ids.length > 0
    ? `${instead}; in OID4VCI 1.0 that is credential_configuration_id ${ids.join(' or ')}`
    : `${instead}; no configuration of this issuer matches, so use an id from the offer`;
}

/** OID4VCI 1.0 Section 8.2 (CRED-10..15), recognising draft-13 shapes (D13-C1, D13-C2). Unknown members are ignored (CRED-17). */
export function checkCredentialRequest(
  body: unknown,
  batchSize: number,
  proofTypes: readonly string[] = ['jwt'],
  identifiers: readonly CredentialIdentifier[] | null = null,
): Checked<ParsedCredentialRequest> {
  const f = new Findings();
  if (!isObject(body)) return f.fail('CRED-01.malformed', 'the body is not a JSON object');
  f.pass('CRED-01');
  const hasConfigurationId = body.credential_configuration_id !== undefined;
  const hasIdentifier = body.credential_identifier !== undefined;

  if (!hasConfigurationId && !hasIdentifier && body.format !== undefined) {
    return f.fail(body.format === 'mso_mdoc' ? 'D13-C1.mso_mdoc' : 'D13-C1', draft13Detail(body));
  }
  if (hasConfigurationId && hasIdentifier) return f.fail('CRED-10.both');
  if (!hasConfigurationId && !hasIdentifier) return f.fail('CRED-10.none');
  let configuration: CredentialConfiguration | undefined;
  // OID4VCI 1.0 Section 8.2: with credential_identifiers in the token response, credential_identifier is
  // REQUIRED and names one of them; without, it must not be used.
  if (hasIdentifier) {
    if (identifiers === null) return f.fail('CRED-11');
    if (typeof body.credential_identifier !== 'string') return f.fail('CRED-10.type', 'credential_identifier must be a string');
    const named = identifiers.find((i) => i.credential_identifier === body.credential_identifier);
    if (!named) return f.fail('CRED-11.unknown', `${identifiers.length} identifier(s) were issued with this access token`);
    f.pass('CRED-10', 'CRED-11');
    configuration = findConfiguration(named.credential_configuration_id);
  } else {
    if (identifiers !== null)
      return f.fail(
        'CRED-11.required',
        `use one of the credential_identifiers of the token response (${identifiers.map((i) => i.credential_configuration_id).join(', ')})`,
      );
    if (typeof body.credential_configuration_id !== 'string')
      return f.fail('CRED-10.type', 'credential_configuration_id must be a string');
    f.pass('CRED-10', 'CRED-11');
    configuration = findConfiguration(body.credential_configuration_id);
    if (!configuration) return f.fail('CRED-12', `"${body.credential_configuration_id}" is not offered by this issuer`);
  }
  if (!configuration) return f.fail('CRED-12', 'the identifier names no configuration of this issuer');
  f.pass('CRED-12');

  // credential_response_encryption is checked with the session's encryption metadata (ENC-01..03).
  if (body.proofs === undefined) {
    return body.proof !== undefined ? f.fail('D13-C2', 'proof (singular) sent, proofs missing') : f.fail('CRED-13');
  }
  f.pass('CRED-13');
  if (!isObject(body.proofs)) return f.fail('CRED-14.shape', 'proofs is not a JSON object');
  const types = Object.keys(body.proofs);
  if (types.length !== 1) return f.fail('CRED-14.shape', `proofs has ${types.length} proof types; exactly one is allowed`);
  const [type] = types as [string];
  if (!proofTypes.includes(type)) return f.fail('CRED-14.type', `proof type "${type}"; supported here: ${proofTypes.join(', ')}`);
  const values = body.proofs[type];
  if (!Array.isArray(values) || values.length === 0) return f.fail('CRED-14.shape', `proofs.${type} must be a non-empty array`);
  f.pass('CRED-14');
  if (values.length > batchSize) return f.fail('CRED-15', `${values.length} proofs, batch_size is ${batchSize}`);
  f.pass('CRED-15', 'CRED-17');
  if (body.proof !== undefined) f.warn('D13-C2.ignored', 'proof (singular) sent beside proofs');
  return f.ok({ configuration, proofType: type, proofValues: values });
}
