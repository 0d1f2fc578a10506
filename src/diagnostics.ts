import { attestationEntries } from './diagnostics-attestation.ts';

/**
 * The catalogue of everything the playground can reject. One entry drives the
 * wallet's error response (error code, HTTP status) and the log entry the
 * tester reads (reason, help, spec_ref). `rule` is the id in shared/spec-notes.md.
 */
export interface Diagnostic {
  id: string;
  rule: string;
  error: string;
  status: number;
  title: string;
  reason: string;
  help: string;
  spec_ref: string;
}

type Entry = Omit<Diagnostic, 'id'>;

const VCI = 'OID4VCI 1.0';
const DPOP = 'RFC 9449 (DPoP)';

// DPoP failures share code and shape; the endpoint decides 400 (AS) or 401 (RS).
const dpop = (rule: string, title: string, reason: string, help: string, section: string): Entry => ({
  rule, error: 'invalid_dpop_proof', status: 400, title, reason, help, spec_ref: `${DPOP} Section ${section}`,
});
const proof = (rule: string, title: string, reason: string, help: string, section = 'Appendix F.1, F.4'): Entry => ({
  rule, error: 'invalid_proof', status: 400, title, reason, help, spec_ref: `${VCI} ${section}`,
});

const entries = {
  // --- generic HTTP ---
  'HTTP.not_found': { rule: '-', error: 'not_found', status: 404, title: 'No such endpoint', reason: 'The path does not match any endpoint of this issuer.', help: 'Take endpoint URLs from the issuer metadata at /.well-known/openid-credential-issuer instead of building them by hand.', spec_ref: `${VCI} Section 12.2.4` },
  'HTTP.method_not_allowed': { rule: 'NON-01', error: 'invalid_request', status: 405, title: 'HTTP method not allowed', reason: 'This endpoint only accepts the method listed in the Allow header.', help: 'The token, nonce and credential endpoints take POST; metadata and offers take GET.', spec_ref: `${VCI} Sections 6.1, 7.1, 8` },
  'HTTP.body_too_large': { rule: '-', error: 'invalid_request', status: 413, title: 'Request body too large', reason: 'The request body exceeds the 64 KiB this issuer accepts.', help: 'Send only the parameters the spec defines; proofs and attestations are a few kilobytes at most.', spec_ref: 'RFC 9110 Section 15.5.14' },
  'HTTP.malformed_body': { rule: '-', error: 'invalid_request', status: 400, title: 'Request body could not be parsed', reason: 'The body does not match its Content-Type.', help: 'Send well-formed JSON with application/json, or a form with application/x-www-form-urlencoded, as the endpoint requires.', spec_ref: 'RFC 6749 Section 5.2' },
  'HTTP.unsupported_media_type': { rule: '-', error: 'invalid_request', status: 415, title: 'Unsupported Content-Type', reason: 'The endpoint does not accept this Content-Type.', help: 'Use application/json for JSON endpoints and application/x-www-form-urlencoded for the token endpoint.', spec_ref: 'RFC 9110 Section 15.5.16' },
  'HTTP.internal': { rule: '-', error: 'server_error', status: 500, title: 'Internal error', reason: 'The issuer failed while handling a well-formed request. This is a bug in the playground, not in the wallet.', help: 'Retry; if it persists, report it with the session id.', spec_ref: 'RFC 6749 Section 5.2' },

  // --- playground API ---
  'API.offer.invalid': { rule: 'OFF-04', error: 'invalid_request', status: 400, title: 'Offer request is invalid', reason: 'POST /credential_offers received parameters that do not describe a valid offer.', help: 'Fix every problem listed in `problems`; see the README for the request shape.', spec_ref: `${VCI} Section 4.1.1` },
  'API.offer.malformed': { rule: 'OFF-04', error: 'invalid_request', status: 400, title: 'Offer request is not JSON', reason: 'POST /credential_offers takes a JSON object with Content-Type application/json.', help: 'Send a JSON body such as {"credential_configuration_ids":["eu.europa.ec.eudi.pid_vc_sd_jwt"]}.', spec_ref: `${VCI} Section 4.1.1` },
  'UI.csrf': { rule: '-', error: 'invalid_request', status: 403, title: 'Form expired or forged', reason: 'The form was not submitted from a page of this playground in this browser (CSRF token missing or wrong).', help: 'Reload the page and submit the form again.', spec_ref: 'OWASP CSRF Prevention Cheat Sheet (double submit cookie)' },
  'API.attester.invalid': { rule: '-', error: 'invalid_request', status: 400, title: 'Test attester request is invalid', reason: 'The request does not describe an attestation the test attester can sign.', help: 'Fix every problem listed in `problems`; the test attester page shows example requests.', spec_ref: 'OID4VCI 1.0 Appendices D.1, E' },
  'API.anchor.invalid': { rule: '-', error: 'invalid_request', status: 400, title: 'Trust anchor is invalid', reason: 'A trust anchor is one PEM X.509 certificate or one public JWK, with a kind (key_attestation or wallet_attestation).', help: 'Fix every problem listed in `problems`.', spec_ref: 'HAIP 1.0 Sections 4.4.1, 4.5.1' },
  'API.anchor.unknown': { rule: '-', error: 'not_found', status: 404, title: 'Unknown trust anchor', reason: 'No removable trust anchor has this id; built-in and file anchors cannot be removed here.', help: 'List the anchors with GET /api/trust-anchors; file anchors are removed from TRUST_ANCHORS_DIR, the test attester with TEST_ATTESTER_TRUSTED=false.', spec_ref: '-' },
  'API.session.unknown': { rule: '-', error: 'not_found', status: 404, title: 'Unknown session', reason: 'No session has this id.', help: 'Use the session_id returned by POST /credential_offers.', spec_ref: '-' },
  'OFF-09.unknown': { rule: 'OFF-09', error: 'not_found', status: 404, title: 'Unknown credential offer', reason: 'No credential offer has this id; the credential_offer_uri is wrong or belongs to another issuer database.', help: 'Scan the QR code or link of a freshly created offer.', spec_ref: `${VCI} Section 4.1.3` },

  // --- token endpoint ---
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

  // --- DPoP proofs (token and resource endpoints) ---
  'DPOP-01.multiple': dpop('DPOP-01', 'More than one DPoP header', 'A request may carry exactly one DPoP header.', 'Send a single DPoP header with one proof JWT.', '4.3 (1)'),
  'DPOP-01.malformed': dpop('DPOP-01', 'DPoP header is not a JWT', 'The DPoP header must hold one compact JWS.', 'Send the compact JWS (three base64url parts separated by dots), without a scheme prefix.', '4.3 (2)'),
  'DPOP-02': dpop('DPOP-02', 'Wrong DPoP typ', 'The JOSE header typ of a DPoP proof must be dpop+jwt.', 'Set the protected header typ to "dpop+jwt".', '4.2, 4.3 (4)'),
  'DPOP-03': dpop('DPOP-03', 'Unsupported DPoP alg', 'The DPoP proof alg must be an asymmetric algorithm listed in dpop_signing_alg_values_supported.', 'Sign the proof with ES256 (or another listed algorithm); never none or HS*.', '4.3 (5)'),
  'DPOP-04.missing': dpop('DPOP-04', 'DPoP jwk missing', 'The DPoP proof header must carry the public key as jwk.', 'Put the public JWK of the DPoP key in the protected header jwk.', '4.2, 4.3 (7)'),
  'DPOP-04.private': dpop('DPOP-04', 'DPoP jwk contains a private key', 'The jwk header of a DPoP proof must be a public key; it contains private members.', 'Export only the public part of the key (drop d, p, q, dp, dq, qi, k). Rotate this key: it has been disclosed.', '4.2, 4.3 (7)'),
  'DPOP-05': dpop('DPOP-05', 'DPoP signature invalid', 'The DPoP proof signature does not verify with its jwk header.', 'Sign the proof with the private key matching the jwk header.', '4.3 (6)'),
  'DPOP-06': dpop('DPOP-06', 'DPoP claim missing', 'A DPoP proof needs jti, htm, htu and iat (and ath when presenting an access token).', 'Add the missing claim named in the detail.', '4.2, 4.3 (3)'),
  'DPOP-07': dpop('DPOP-07', 'DPoP htm mismatch', 'The htm claim must equal the HTTP method of the request.', 'Set htm to the method of this request, e.g. "POST".', '4.3 (8)'),
  'DPOP-08': dpop('DPOP-08', 'DPoP htu mismatch', 'The htu claim must equal the URL of this endpoint, without query and fragment.', 'Set htu to the endpoint URL from the metadata (e.g. token_endpoint), not the URL of another endpoint.', '4.3 (9)'),
  'DPOP-09': dpop('DPOP-09', 'DPoP iat out of window', 'The DPoP proof was created too long ago or too far in the future.', 'Create a fresh proof for every request and check the device clock; proofs are accepted from 300 s in the past to 30 s in the future.', '4.3 (11), 11.1'),
  'DPOP-10': dpop('DPOP-10', 'DPoP proof replayed', 'This DPoP proof jti was already used at this endpoint.', 'Create a new proof with a fresh random jti for every request, including retries.', '11.1'),
  'DPOP-11': dpop('DPOP-11', 'DPoP ath mismatch', 'The ath claim must be the base64url SHA-256 hash of the access token sent in the Authorization header.', 'Compute ath = BASE64URL(SHA-256(ASCII(access_token))) without padding.', '4.2, 4.3 (12), 7'),
  'DPOP-12': { rule: 'DPOP-12', error: 'invalid_token', status: 401, title: 'DPoP key does not match the token', reason: 'The access token is bound to another DPoP key than the one that signed this proof.', help: 'Sign DPoP proofs for resource requests with the same key used at the token endpoint.', spec_ref: `${DPOP} Sections 6.1, 7.1` },
  'DPOP-13': { rule: 'DPOP-13', error: 'use_dpop_nonce', status: 400, title: 'DPoP nonce required', reason: 'This offer demands a server-provided DPoP nonce and the proof does not carry a current one.', help: 'Retry with a new proof whose nonce claim is the value of the DPoP-Nonce response header.', spec_ref: `${DPOP} Sections 8, 9` },

  // --- nonce endpoint: no rejections beyond HTTP ones ---

  // --- credential endpoint: access token ---
  'CRED-01.content_type': { rule: 'CRED-01', error: 'invalid_credential_request', status: 400, title: 'Credential request is not JSON', reason: 'An unencrypted credential request must be sent with Content-Type application/json.', help: 'Send the body as JSON with Content-Type: application/json.', spec_ref: `${VCI} Section 8.2` },
  'CRED-01.malformed': { rule: 'CRED-01', error: 'invalid_credential_request', status: 400, title: 'Credential request is not valid JSON', reason: 'The body could not be parsed as a JSON object.', help: 'Send a JSON object such as {"credential_configuration_id": "...", "proofs": {"jwt": ["..."]}}.', spec_ref: `${VCI} Section 8.2` },
  'CRED-02': { rule: 'CRED-02', error: 'invalid_request', status: 401, title: 'Access token outside the Authorization header', reason: 'The access token was sent in the query string or body; it must only be sent in the Authorization header.', help: 'Send Authorization: DPoP <access_token> (or Bearer when the token type is Bearer).', spec_ref: 'RFC 6750 Sections 2.1, 2.3; FAPI 2.0 SP Section 5.3.4' },
  'CRED-03.missing': { rule: 'CRED-03', error: 'invalid_token', status: 401, title: 'No access token', reason: 'The credential endpoint is a protected resource and the request carries no access token.', help: 'Send the access token from the token response in the Authorization header.', spec_ref: `RFC 6750 Section 3.1; ${VCI} Section 8.3.1.1` },
  'CRED-03.unknown': { rule: 'CRED-03', error: 'invalid_token', status: 401, title: 'Unknown access token', reason: 'The access token was not issued by this issuer (or was mangled in transit).', help: 'Send the access_token value from the token response unchanged.', spec_ref: `RFC 6750 Section 3.1; ${VCI} Section 8.3.1.1` },
  'CRED-03.expired': { rule: 'CRED-03', error: 'invalid_token', status: 401, title: 'Access token expired', reason: 'The access token has expired.', help: 'Request a new access token; access tokens here live for expires_in seconds.', spec_ref: `RFC 6750 Section 3.1; ${VCI} Section 8.3.1.1` },
  'CRED-04.scheme': { rule: 'CRED-04', error: 'invalid_token', status: 401, title: 'DPoP-bound token sent with the wrong scheme', reason: 'The token_type of this access token is DPoP, so it must be presented with the DPoP authorization scheme and a DPoP proof, never as Bearer.', help: 'Send Authorization: DPoP <access_token> together with a DPoP header.', spec_ref: `${DPOP} Section 7.1; OID4VCI 1.0 Section 8` },
  'CRED-04.bearer_as_dpop': { rule: 'CRED-04', error: 'invalid_token', status: 401, title: 'Bearer token sent with the DPoP scheme', reason: 'This access token was issued as a Bearer token (the offer set require_dpop false), so it is not bound to a DPoP key.', help: 'Send Authorization: Bearer <access_token>, or create an offer that requires DPoP.', spec_ref: `${DPOP} Section 7.2` },
  'CRED-04.proof_missing': { rule: 'CRED-04', error: 'invalid_dpop_proof', status: 401, title: 'DPoP proof missing', reason: 'A DPoP-bound access token must be accompanied by a DPoP proof for this request.', help: 'Add a DPoP header with a fresh proof (htm, htu of this endpoint, ath of the token).', spec_ref: `${DPOP} Section 7.1` },
  'CRED-06': { rule: 'CRED-06', error: 'insufficient_scope', status: 403, title: 'Configuration not covered by the access token', reason: 'The access token was granted for other credential configurations than the one requested.', help: 'Request one of the credential_configuration_ids of the offer this token came from.', spec_ref: `${VCI} Sections 8.2, 8.3.1.1; RFC 6750 Section 3.1` },

  // --- credential endpoint: request body ---
  'CRED-10.none': { rule: 'CRED-10', error: 'invalid_credential_request', status: 400, title: 'No credential identified', reason: 'A credential request must contain exactly one of credential_configuration_id or credential_identifier.', help: 'Add credential_configuration_id with an id from the offer.', spec_ref: `${VCI} Section 8.2` },
  'CRED-10.both': { rule: 'CRED-10', error: 'invalid_credential_request', status: 400, title: 'Both credential_configuration_id and credential_identifier', reason: 'credential_configuration_id and credential_identifier are mutually exclusive.', help: 'Send only credential_configuration_id (no authorization_details were returned in the token response).', spec_ref: `${VCI} Section 8.2` },
  'CRED-10.type': { rule: 'CRED-10', error: 'invalid_credential_request', status: 400, title: 'Credential request parameter has the wrong type', reason: 'A credential request parameter does not have the JSON type the spec defines.', help: 'Check the parameter named in the detail against OID4VCI 1.0 Section 8.2.', spec_ref: `${VCI} Section 8.2` },
  'CRED-11': { rule: 'CRED-11', error: 'invalid_credential_request', status: 400, title: 'credential_identifier not allowed', reason: 'credential_identifier may only be used when the token response returned authorization_details with credential_identifiers; this one did not.', help: 'Use credential_configuration_id instead.', spec_ref: `${VCI} Sections 6.2, 8.2` },
  'CRED-12': { rule: 'CRED-12', error: 'unknown_credential_configuration', status: 400, title: 'Unknown credential configuration', reason: 'credential_configuration_id is not a key of credential_configurations_supported.', help: 'Use one of the ids listed in the issuer metadata and in the offer.', spec_ref: `${VCI} Sections 8.2, 8.3.1.2` },
  'CRED-13': proof('CRED-13', 'proofs missing', 'This configuration requires cryptographic holder binding, so the request must carry proofs.', 'Fetch a c_nonce from the nonce endpoint and send proofs: {"jwt": ["<proof JWT>"]}.', 'Sections 8.2, 8.3.1.2'),
  'CRED-14.shape': proof('CRED-14', 'proofs has the wrong shape', 'proofs must be an object with exactly one proof type whose value is a non-empty array.', 'Send proofs as {"jwt": ["<proof JWT>", ...]}.', 'Section 8.2, Appendix F'),
  'CRED-14.type': proof('CRED-14', 'Unsupported proof type', 'The proof type is not listed in proof_types_supported of this configuration.', 'Use the jwt proof type.', 'Section 8.2, Appendix F'),
  'CRED-15': { rule: 'CRED-15', error: 'invalid_credential_request', status: 400, title: 'Too many proofs', reason: 'The number of proofs exceeds batch_credential_issuance.batch_size.', help: 'Send at most batch_size proofs, one per key.', spec_ref: `${VCI} Sections 8.2, 12.2.4` },

  // --- encryption (not offered) ---
  'ENC-01.unsupported': { rule: 'ENC-01', error: 'invalid_encryption_parameters', status: 400, title: 'Response encryption not supported', reason: 'The request asks for credential_response_encryption, but this issuer advertises no credential_response_encryption in its metadata.', help: 'Leave out credential_response_encryption: the metadata has no encryption parameters, so responses are sent unencrypted.', spec_ref: `${VCI} Sections 8.2, 10, 12.2.4` },

  // --- deferred credential endpoint ---
  'DEF-02': { rule: 'DEF-02', error: 'invalid_credential_request', status: 400, title: 'transaction_id missing', reason: 'A deferred credential request must carry the transaction_id from the 202 credential response.', help: 'Send {"transaction_id": "<value from the 202 response>"}.', spec_ref: `${VCI} Section 9.1` },
  'DEF-03.unknown': { rule: 'DEF-03', error: 'invalid_transaction_id', status: 400, title: 'Unknown transaction_id', reason: 'This issuer has no deferred transaction with this id.', help: 'Send the transaction_id exactly as the 202 credential response gave it.', spec_ref: `${VCI} Sections 9.1, 9.3` },
  'DEF-03.retrieved': { rule: 'DEF-03', error: 'invalid_transaction_id', status: 400, title: 'Transaction already completed', reason: 'The credentials of this transaction were already retrieved; a transaction_id is invalidated after a successful retrieval.', help: 'Stop polling once a 200 response delivered the credentials. (OID4VCI has no expired_transaction_id code; invalid_transaction_id is the only one.)', spec_ref: `${VCI} Sections 9.1, 9.3` },
  'DEF-06': { rule: 'DEF-06', error: 'credential_request_denied', status: 400, title: 'Credential request denied', reason: 'The issuer will not issue the credential for this transaction (the offer or the tester refused it).', help: 'Stop polling and tell the user the issuance was refused.', spec_ref: `${VCI} Sections 8.3.1.2, 9.3` },
  'DEF-08': { rule: 'DEF-08', error: 'invalid_transaction_id', status: 400, title: 'Transaction belongs to another access token', reason: 'A deferred transaction can only be polled with the access token of the credential request that created it.', help: 'Poll with the same access token (and DPoP key) that received the 202 response.', spec_ref: `${VCI} Section 9` },

  // --- notification endpoint ---
  'NOT-01.malformed': { rule: 'NOT-01', error: 'invalid_notification_request', status: 400, title: 'Notification request is not a JSON object', reason: 'The notification request must be a JSON object sent with Content-Type application/json.', help: 'Send {"notification_id": "...", "event": "credential_accepted"}.', spec_ref: `${VCI} Sections 11.1, 11.3` },
  'NOT-02.missing': { rule: 'NOT-02', error: 'invalid_notification_request', status: 400, title: 'notification_id missing', reason: 'notification_id is required and must be a string.', help: 'Send the notification_id from the credential response.', spec_ref: `${VCI} Section 11.1` },
  'NOT-02.unknown': { rule: 'NOT-02', error: 'invalid_notification_id', status: 400, title: 'Unknown notification_id', reason: 'This notification_id was not issued for the credentials of this access token.', help: 'Send the notification_id returned together with the credentials, with the access token of that flow.', spec_ref: `${VCI} Sections 11.1, 11.3` },
  'NOT-03': { rule: 'NOT-03', error: 'invalid_notification_request', status: 400, title: 'Invalid notification event', reason: 'event is required and must be exactly credential_accepted, credential_failure or credential_deleted (case-sensitive).', help: 'Use one of the three event values; a partly failed batch is credential_failure.', spec_ref: `${VCI} Sections 11.1, 11.3` },
  'NOT-04': { rule: 'NOT-04', error: 'invalid_notification_request', status: 400, title: 'Invalid event_description', reason: 'event_description must be a string of ASCII characters 0x20-0x7E without " and \\.', help: 'Send a short plain-ASCII description without quotes and backslashes.', spec_ref: `${VCI} Section 11.1` },

  // --- playground API: claims for deferred requests ---
  'API.claims.invalid': { rule: '-', error: 'invalid_request', status: 400, title: 'Claims are invalid', reason: 'The supplied claims do not match the claim metadata of the credential configuration.', help: 'Fix every problem listed in `problems`; mandatory claims must be present and dates use YYYY-MM-DD.', spec_ref: `${VCI} Appendix B.2` },
  'API.claims.nothing_waiting': { rule: '-', error: 'conflict', status: 409, title: 'No deferred request is waiting', reason: 'No pending deferred credential request of this configuration exists in the session.', help: 'Claims can be supplied once the wallet made a credential request for a *_deferred configuration and got a 202.', spec_ref: `${VCI} Section 9` },

  // --- draft 13 shapes (answered in 1.0 terms, explained in the log) ---
  'D13-C1': { rule: 'D13-C1', error: 'invalid_credential_request', status: 400, title: 'Draft-13 credential request (format)', reason: 'The request identifies the credential by format (and vct / credential_definition / doctype) as in OID4VCI draft 13/14. OID4VCI 1.0 removed format from the credential request.', help: 'Replace format and its type fields with "credential_configuration_id": "<id from the offer>".', spec_ref: `${VCI} Section 8.2; OID4VCI draft 13 Section 7.2` },
  'D13-C2': proof('D13-C2', 'Draft-13 proof object', 'The request carries a single proof object as in OID4VCI drafts 13 to 15; OID4VCI 1.0 accepts only proofs.', 'Replace "proof": {"proof_type": "jwt", "jwt": "<JWT>"} with "proofs": {"jwt": ["<JWT>"]}.', 'Section 8.2; OID4VCI draft 13 Section 7.2'),

  // --- jwt key proofs ---
  'PRF-00.malformed': proof('PRF-05', 'Proof is not a JWT', 'Each entry of proofs.jwt must be a compact JWS string.', 'Send the signed proof JWT itself (header.payload.signature).'),
  'PRF-01': proof('PRF-01', 'Wrong proof typ', 'The JOSE header typ of a key proof must be exactly openid4vci-proof+jwt.', 'Set the protected header typ to "openid4vci-proof+jwt".'),
  'PRF-02': proof('PRF-02', 'Unsupported proof alg', 'The proof alg must be asymmetric and listed in proof_signing_alg_values_supported of the configuration.', 'Sign the proof with ES256 (HAIP requires ES256 support).'),
  'PRF-03': proof('PRF-03', 'Proof key source ambiguous or missing', 'The proof header must carry exactly one of kid, jwk or x5c.', 'Put the public key in the jwk header and remove the other key parameters.'),
  'PRF-04': proof('PRF-04', 'Proof jwk contains a private key', 'The proof key must be a public key; it contains private members.', 'Export only the public part of the key. Rotate this key: it has been disclosed.'),
  'PRF-05': proof('PRF-05', 'Proof signature invalid', 'The proof signature does not verify with the key in its header.', 'Sign the proof with the private key matching the jwk header.'),
  'PRF-06': proof('PRF-06', 'Proof key form not supported', 'The proof key must suit cryptographic_binding_methods_supported of the configuration (jwk here).', 'Send the key as a jwk header; kid-based (did) and x5c keys are not supported by this configuration.', 'Section 12.2.4, Appendix F.1'),
  'PRF-07': proof('PRF-07', 'Proof aud is not the credential issuer', 'The aud claim of a key proof must be the Credential Issuer Identifier.', 'Set aud to the credential_issuer value of the issuer metadata, exactly.'),
  'PRF-08.missing': proof('PRF-08', 'Proof nonce missing', 'This issuer has a nonce endpoint, so every key proof must carry a c_nonce.', 'POST to the nonce_endpoint and put the returned c_nonce in the proof nonce claim.'),
  'PRF-08.unknown': { rule: 'PRF-08', error: 'invalid_nonce', status: 400, title: 'Proof nonce is not a valid c_nonce', reason: 'The nonce claim is not a c_nonce this issuer handed out, or it expired, or it was already used for an issued credential.', help: 'POST to the nonce_endpoint for a fresh c_nonce and create new proofs with it.', spec_ref: `${VCI} Section 8.3.1.2, Appendix F.4` },
  'PRF-09': proof('PRF-09', 'Proof iat missing or out of window', 'The iat claim is required and must be recent (300 s in the past to 30 s in the future).', 'Set iat to the current time in seconds when creating the proof.'),
  'PRF-10': proof('PRF-10', 'Proof iss does not match the client', 'The proof iss must be the client_id the access token was issued to; with anonymous pre-authorized access there is none, so iss must be absent.', 'Remove iss, or set it to the client_id used at the token endpoint.'),
  ...attestationEntries,

  'PRF-14': proof('PRF-14', 'Same key in several proofs', 'Each key binds at most one credential, so every proof in a batch must use a distinct key.', 'Generate a distinct key pair for every proof in proofs.jwt.', 'Section 8.3, Appendix F.4'),
} satisfies Record<string, Entry>;

export type DiagnosticId = keyof typeof entries;

export const catalogue: readonly Diagnostic[] = Object.entries(entries).map(([id, entry]) => ({ id, ...entry }));

export function diagnostic(id: DiagnosticId): Diagnostic {
  return { id, ...entries[id] };
}

/** A rejection: one diagnostic plus what is specific to this request. */
export class ProtocolError extends Error {
  readonly diagnostic: Diagnostic;
  readonly detail: string | undefined;
  readonly data: Record<string, unknown>;
  readonly headers: Record<string, string>;
  /** Extra members of the error response body, e.g. the list of problems of an API request. */
  readonly response: Record<string, unknown>;

  constructor(
    id: DiagnosticId,
    detail?: string,
    options: { data?: Record<string, unknown>; headers?: Record<string, string>; response?: Record<string, unknown> } = {},
  ) {
    const d = diagnostic(id);
    super(detail ? `${d.title}: ${detail}` : d.title);
    this.diagnostic = d;
    this.detail = detail;
    this.data = options.data ?? {};
    this.headers = options.headers ?? {};
    this.response = options.response ?? {};
  }
}

/** error_description allows only %x20-21 / %x23-5B / %x5D-7E (RFC 6749 Section 5.2). */
export function errorDescription(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "'").slice(0, 300);
}
