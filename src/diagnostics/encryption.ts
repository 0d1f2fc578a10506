// Credential request and response encryption (OID4VCI 1.0 Sections 8.2, 10).
import { type Entry, type Rule, VCI } from './define.ts';

export const encryptionRules = {
  'ENC-01': { title: "credential_response_encryption parameters supported", spec_ref: `${VCI} Sections 8.2, 10, 12.2.4` },
} satisfies Record<string, Rule>;

export const encryptionDiagnostics = {
  'ENC-01.unsupported': { rule: 'ENC-01', error: 'invalid_encryption_parameters', status: 400, title: 'Response encryption not supported', reason: 'The request asks for credential_response_encryption, but this issuer advertises no credential_response_encryption in its metadata.', help: 'Leave out credential_response_encryption: the metadata has no encryption parameters, so responses are sent unencrypted.', spec_ref: `${VCI} Sections 8.2, 10, 12.2.4` },
} satisfies Record<string, Entry>;
