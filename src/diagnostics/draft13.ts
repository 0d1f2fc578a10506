// Request shapes of OID4VCI draft 13 to 15, named with their 1.0 replacement.
import { type Entry, entry, type Rule, VCI } from './define.ts';

const proof = (rule: string, title: string, reason: string, help: string, section = 'Appendix F.1, F.4'): Entry =>
  entry(rule, 'invalid_proof', 400, title, reason, help, `${VCI} ${section}`);

export const draft13Rules = {
  'D13-C1': {
    title: 'No draft-13 format-based credential request',
    spec_ref: `${VCI} Section 8.2; OID4VCI draft 13 Section 7.2`,
  },
  'D13-C2': { title: 'No draft-13 singular proof object', spec_ref: `${VCI} Section 8.2; OID4VCI draft 13 Section 7.2` },
} satisfies Record<string, Rule>;

export const draft13Diagnostics = {
  'D13-C1': {
    rule: 'D13-C1',
    error: 'invalid_credential_request',
    status: 400,
    title: 'Draft-13 credential request (format)',
    reason:
      'The request identifies the credential by format (and vct / credential_definition / doctype) as in OID4VCI draft 13/14. OID4VCI 1.0 removed format from the credential request.',
    help: 'Replace format and its type fields with "credential_configuration_id": "<id from the offer>".',
    spec_ref: `${VCI} Section 8.2; OID4VCI draft 13 Section 7.2`,
  },
  'D13-C1.mso_mdoc': {
    rule: 'D13-C1',
    error: 'invalid_credential_request',
    status: 400,
    title: 'Draft-13 mdoc credential request (format mso_mdoc and doctype)',
    reason:
      'The request asks for an ISO mdoc by "format": "mso_mdoc" and a doctype, as in OID4VCI draft 13/14 (Appendix A.2.4 there). OID4VCI 1.0 removed format and doctype from the credential request: the configuration is named by its id.',
    help: 'Replace format and doctype with "credential_configuration_id": "<the id of the mso_mdoc configuration in the offer>"; the detail names the configurations with this doctype.',
    spec_ref: `${VCI} Section 8.2, Appendix A.2; OID4VCI draft 13 Section 7.2, Appendix A.2.4`,
  },
  'D13-C2': proof(
    'D13-C2',
    'Draft-13 proof object',
    'The request carries a single proof object as in OID4VCI drafts 13 to 15; OID4VCI 1.0 accepts only proofs.',
    'Replace "proof": {"proof_type": "jwt", "jwt": "<JWT>"} with "proofs": {"jwt": ["<JWT>"]}.',
    'Section 8.2; OID4VCI draft 13 Section 7.2',
  ),
  'D13-C2.ignored': entry(
    'D13-C2',
    'invalid_credential_request',
    400,
    'Draft-13 proof member ignored',
    'The request carries proofs and also the singular proof member of OID4VCI drafts 13 to 15. OID4VCI 1.0 reads only proofs, so proof is ignored.',
    'Drop the singular proof member.',
    `${VCI} Section 8.2; OID4VCI draft 13 Section 7.2`,
  ),
} satisfies Record<string, Entry>;
