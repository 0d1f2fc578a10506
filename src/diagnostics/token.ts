// Token endpoint, pre-authorized code grant (OID4VCI 1.0 Section 6, RFC 6749).
import { type Entry, type Rule, HAIP, VCI } from './define.ts';

export const tokenRules = {
  'TOK-01': { title: "Token request is a form POST", spec_ref: 'RFC 6749 Sections 3.2, 5.1, 5.2' },
  'TOK-02': { title: "grant_type present and supported", spec_ref: 'RFC 6749 Section 5.2' },
  'TOK-03': { title: "pre-authorized_code present", spec_ref: `${VCI} Section 6.1` },
  'TOK-04': { title: "Pre-authorized code known, unexpired and unused", spec_ref: `${VCI} Sections 4.1.1, 6.3` },
  'TOK-05': { title: "tx_code sent when the offer announced one", spec_ref: `${VCI} Sections 6.1, 6.3` },
  'TOK-06': { title: "tx_code absent when the offer announced none", spec_ref: `${VCI} Sections 6.1, 6.3` },
  'TOK-07': { title: "tx_code matches; too many wrong codes invalidate the grant", spec_ref: `${VCI} Section 6.3, 13.6.3 (errata)` },
  'TOK-13': { title: "DPoP proof present when sender-constrained tokens are required", spec_ref: `${HAIP} Section 4; RFC 9449 Section 5` },
} satisfies Record<string, Rule>;

export const tokenDiagnostics = {
  'TOK-01.content_type': { rule: 'TOK-01', error: 'invalid_request', status: 400, title: 'Token request is not form-encoded', reason: 'The token request body must use Content-Type application/x-www-form-urlencoded.', help: 'Send grant_type and the grant parameters as an HTML form body, not JSON.', spec_ref: 'RFC 6749 Section 3.2, 4.1.3; OID4VCI 1.0 Section 6.1' },
  'TOK-02.missing': { rule: 'TOK-02', error: 'invalid_request', status: 400, title: 'grant_type missing', reason: 'The token request has no grant_type parameter.', help: 'Send grant_type=urn:ietf:params:oauth:grant-type:pre-authorized_code for a pre-authorized offer.', spec_ref: 'RFC 6749 Section 5.2; OID4VCI 1.0 Section 6.1' },
  'TOK-02.unsupported': { rule: 'TOK-02', error: 'unsupported_grant_type', status: 400, title: 'Unsupported grant_type', reason: 'This authorization server does not support the grant_type that was sent.', help: 'Use a grant type listed in grant_types_supported of /.well-known/oauth-authorization-server.', spec_ref: 'RFC 6749 Section 5.2' },
  'TOK-03': { rule: 'TOK-03', error: 'invalid_request', status: 400, title: 'pre-authorized_code missing', reason: 'The pre-authorized code grant needs the pre-authorized_code parameter from the credential offer.', help: 'Copy grants["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["pre-authorized_code"] from the offer into the pre-authorized_code form parameter.', spec_ref: `${VCI} Section 6.1` },
  'TOK-04.unknown': { rule: 'TOK-04', error: 'invalid_grant', status: 400, title: 'Unknown pre-authorized code', reason: 'No offer of this issuer carries this pre-authorized code.', help: 'Send the pre-authorized_code exactly as it appears in the offer, without decoding or trimming it.', spec_ref: `${VCI} Section 6.3` },
  'TOK-04.expired': { rule: 'TOK-04', error: 'invalid_grant', status: 400, title: 'Pre-authorized code expired', reason: 'Pre-authorized codes are short-lived and this one has expired.', help: 'Create a new offer and redeem its code promptly.', spec_ref: `${VCI} Sections 4.1.1, 6.3` },
  'TOK-04.redeemed': { rule: 'TOK-04', error: 'invalid_grant', status: 400, title: 'Pre-authorized code already used', reason: 'A pre-authorized code can be exchanged for an access token only once.', help: 'Keep the access token from the first token response; do not retry a successful token request.', spec_ref: `${VCI} Sections 4.1.1, 6.3` },
  'TOK-04.burnt': { rule: 'TOK-07', error: 'invalid_grant', status: 400, title: 'Pre-authorized code invalidated', reason: 'Too many wrong transaction codes were sent, so the pre-authorized code was invalidated.', help: 'Create a new offer and type the transaction code shown with it.', spec_ref: `${VCI} Sections 6.3, 13.6.3 (errata)` },
  'TOK-05': { rule: 'TOK-05', error: 'invalid_request', status: 400, title: 'tx_code missing', reason: 'The offer carried a tx_code object, so the token request must include the transaction code.', help: 'Ask the user for the transaction code (the offer says its input_mode and length) and send it as the tx_code form parameter.', spec_ref: `${VCI} Sections 4.1.1, 6.1, 6.3` },
  'TOK-06': { rule: 'TOK-06', error: 'invalid_request', status: 400, title: 'tx_code not expected', reason: 'The offer had no tx_code object, yet the token request carries tx_code.', help: 'Send tx_code only when the pre-authorized grant of the offer contains a tx_code object.', spec_ref: `${VCI} Sections 6.1, 6.3` },
  'TOK-07': { rule: 'TOK-07', error: 'invalid_grant', status: 400, title: 'Wrong tx_code', reason: 'The transaction code does not match the one delivered with the offer.', help: 'Send the transaction code exactly as shown to the user. After 5 wrong codes the pre-authorized code is invalidated. (invalid_tx_code exists only in the OID4VCI 1.1 draft; 1.0 uses invalid_grant.)', spec_ref: `${VCI} Section 6.3` },
  'TOK-13': { rule: 'TOK-13', error: 'invalid_dpop_proof', status: 400, title: 'DPoP proof required', reason: 'This offer requires sender-constrained tokens, but the token request carries no DPoP header.', help: 'Sign a DPoP proof JWT (typ dpop+jwt, htm POST, htu the token endpoint URL) with the wallet key and send it in the DPoP header.', spec_ref: 'HAIP 1.0 Section 4; RFC 9449 Section 5' },
} satisfies Record<string, Entry>;
