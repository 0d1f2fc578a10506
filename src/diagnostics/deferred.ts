// Deferred credential endpoint (OID4VCI 1.0 Section 9).
import { type Entry, type Rule, VCI } from './define.ts';

export const deferredRules = {
  'DEF-02': { title: 'transaction_id present', spec_ref: `${VCI} Section 9.1` },
  'DEF-03': { title: 'transaction_id known and not yet retrieved', spec_ref: `${VCI} Sections 9.1, 9.3` },
  'DEF-06': { title: 'Denied transactions answer credential_request_denied', spec_ref: `${VCI} Sections 8.3.1.2, 9.3` },
  'DEF-08': { title: 'Transaction polled with the token that created it', spec_ref: `${VCI} Section 9` },
  'DEF-04': { title: 'Pending transactions answer 202 with the same transaction_id', spec_ref: `${VCI} Section 9.2` },
  'DEF-09': {
    title: "The 1.0 deferred flow, not draft 13's repeated credential requests",
    spec_ref: `${VCI} Sections 8.3, 9; OID4VCI draft 13 Section 9.2`,
  },
  'DEF-11': { title: 'Polls respect the interval', spec_ref: `${VCI} Section 9.2` },
} satisfies Record<string, Rule>;

export const deferredDiagnostics = {
  'DEF-02': {
    rule: 'DEF-02',
    error: 'invalid_credential_request',
    status: 400,
    title: 'transaction_id missing',
    reason: 'A deferred credential request must carry the transaction_id from the 202 credential response.',
    help: 'Send {"transaction_id": "<value from the 202 response>"}.',
    spec_ref: `${VCI} Section 9.1`,
  },
  'DEF-03.unknown': {
    rule: 'DEF-03',
    error: 'invalid_transaction_id',
    status: 400,
    title: 'Unknown transaction_id',
    reason: 'This issuer has no deferred transaction with this id.',
    help: 'Send the transaction_id exactly as the 202 credential response gave it.',
    spec_ref: `${VCI} Sections 9.1, 9.3`,
  },
  'DEF-03.retrieved': {
    rule: 'DEF-03',
    error: 'invalid_transaction_id',
    status: 400,
    title: 'Transaction already completed',
    reason:
      'The credentials of this transaction were already retrieved; a transaction_id is invalidated after a successful retrieval.',
    help: 'Stop polling once a 200 response delivered the credentials. (OID4VCI has no expired_transaction_id code; invalid_transaction_id is the only one.)',
    spec_ref: `${VCI} Sections 9.1, 9.3`,
  },
  'DEF-06': {
    rule: 'DEF-06',
    error: 'credential_request_denied',
    status: 400,
    title: 'Credential request denied',
    reason: 'The issuer will not issue the credential for this transaction (the offer or the tester refused it).',
    help: 'Stop polling and tell the user the issuance was refused.',
    spec_ref: `${VCI} Sections 8.3.1.2, 9.3`,
  },
  'DEF-08': {
    rule: 'DEF-08',
    error: 'invalid_transaction_id',
    status: 400,
    title: 'Transaction belongs to another access token',
    reason: 'A deferred transaction can only be polled with the access token of the credential request that created it.',
    help: 'Poll with the same access token (and DPoP key) that received the 202 response.',
    spec_ref: `${VCI} Section 9`,
  },
  'DEF-09.repeated': {
    rule: 'DEF-09',
    error: 'invalid_credential_request',
    status: 400,
    title: 'Credential request repeated while a deferred request is pending',
    reason:
      'The wallet asked the credential endpoint again instead of polling the deferred credential endpoint with the transaction_id of the 202 response. Wallets on drafts 13 to 15 expect 400 issuance_pending rather than 202.',
    help: 'Poll deferred_credential_endpoint with the transaction_id, waiting interval seconds between polls.',
    spec_ref: `${VCI} Sections 8.3, 9; OID4VCI draft 13 Section 9.2`,
  },
  'DEF-11.too_fast': {
    rule: 'DEF-11',
    error: 'invalid_request',
    status: 400,
    title: 'Polled faster than the interval',
    reason:
      'The wallet polled the deferred credential endpoint sooner than the interval of the 202 response. OID4VCI defines no error code for this, so the issuer keeps answering 202.',
    help: 'Wait at least interval seconds between polls.',
    spec_ref: `${VCI} Section 9.2`,
  },
} satisfies Record<string, Entry>;
