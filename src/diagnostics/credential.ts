// Credential endpoint: access token and request body (OID4VCI 1.0 Section 8).
import { entry, type Entry, type Rule, DPOP, VCI } from './define.ts';

const proof = (rule: string, title: string, reason: string, help: string, section = 'Appendix F.1, F.4'): Entry =>
  entry(rule, 'invalid_proof', 400, title, reason, help, `${VCI} ${section}`);

export const credentialRules = {
  'CRED-01': { title: "Credential request is JSON", spec_ref: `${VCI} Section 8.2` },
  'CRED-02': { title: "Access token only in the Authorization header", spec_ref: 'RFC 6750 Sections 2.1, 2.3; FAPI 2.0 SP Section 5.3.4' },
  'CRED-03': { title: "Access token present, known and unexpired", spec_ref: `RFC 6750 Section 3.1; ${VCI} Section 8.3.1.1` },
  'CRED-04': { title: "DPoP-bound token presented with the DPoP scheme and a proof", spec_ref: `${DPOP} Section 7.1` },
  'CRED-06': { title: "Token covers the requested configuration", spec_ref: `${VCI} Sections 8.2, 8.3.1.1` },
  'CRED-10': { title: "Exactly one of credential_configuration_id and credential_identifier", spec_ref: `${VCI} Section 8.2` },
  'CRED-11': { title: "credential_identifier only with authorization_details", spec_ref: `${VCI} Sections 6.2, 8.2` },
  'CRED-12': { title: "credential_configuration_id is a supported configuration", spec_ref: `${VCI} Sections 8.2, 8.3.1.2` },
  'CRED-13': { title: "proofs present for holder-bound configurations", spec_ref: `${VCI} Sections 8.2, 8.3.1.2` },
  'CRED-14': { title: "proofs has one supported proof type with a non-empty array", spec_ref: `${VCI} Section 8.2, Appendix F` },
  'CRED-17': { title: "Unknown request members are ignored", spec_ref: `${VCI} Section 8.2` },
  'CRED-15': { title: "At most batch_size proofs", spec_ref: `${VCI} Sections 8.2, 12.2.4` },
} satisfies Record<string, Rule>;

export const credentialDiagnostics = {
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
  'CRED-10.none': { rule: 'CRED-10', error: 'invalid_credential_request', status: 400, title: 'No credential identified', reason: 'A credential request must contain exactly one of credential_configuration_id or credential_identifier.', help: 'Add credential_configuration_id with an id from the offer.', spec_ref: `${VCI} Section 8.2` },
  'CRED-10.both': { rule: 'CRED-10', error: 'invalid_credential_request', status: 400, title: 'Both credential_configuration_id and credential_identifier', reason: 'credential_configuration_id and credential_identifier are mutually exclusive.', help: 'Send only credential_configuration_id (no authorization_details were returned in the token response).', spec_ref: `${VCI} Section 8.2` },
  'CRED-10.type': { rule: 'CRED-10', error: 'invalid_credential_request', status: 400, title: 'Credential request parameter has the wrong type', reason: 'A credential request parameter does not have the JSON type the spec defines.', help: 'Check the parameter named in the detail against OID4VCI 1.0 Section 8.2.', spec_ref: `${VCI} Section 8.2` },
  'CRED-11': { rule: 'CRED-11', error: 'invalid_credential_request', status: 400, title: 'credential_identifier not allowed', reason: 'credential_identifier may only be used when the token response returned authorization_details with credential_identifiers; this one did not.', help: 'Use credential_configuration_id instead.', spec_ref: `${VCI} Sections 6.2, 8.2` },
  'CRED-12': { rule: 'CRED-12', error: 'unknown_credential_configuration', status: 400, title: 'Unknown credential configuration', reason: 'credential_configuration_id is not a key of credential_configurations_supported.', help: 'Use one of the ids listed in the issuer metadata and in the offer.', spec_ref: `${VCI} Sections 8.2, 8.3.1.2` },
  'CRED-13': proof('CRED-13', 'proofs missing', 'This configuration requires cryptographic holder binding, so the request must carry proofs.', 'Fetch a c_nonce from the nonce endpoint and send proofs: {"jwt": ["<proof JWT>"]}.', 'Sections 8.2, 8.3.1.2'),
  'CRED-14.shape': proof('CRED-14', 'proofs has the wrong shape', 'proofs must be an object with exactly one proof type whose value is a non-empty array.', 'Send proofs as {"jwt": ["<proof JWT>", ...]}.', 'Section 8.2, Appendix F'),
  'CRED-14.type': proof('CRED-14', 'Unsupported proof type', 'The proof type is not listed in proof_types_supported of this configuration.', 'Use the jwt proof type.', 'Section 8.2, Appendix F'),
  'CRED-15': { rule: 'CRED-15', error: 'invalid_credential_request', status: 400, title: 'Too many proofs', reason: 'The number of proofs exceeds batch_credential_issuance.batch_size.', help: 'Send at most batch_size proofs, one per key.', spec_ref: `${VCI} Sections 8.2, 12.2.4` },
} satisfies Record<string, Entry>;
