// Credential request and response encryption (OID4VCI 1.0 Sections 8.2, 10, 12.2.4).
import { type Entry, entry, type Rule, VCI } from './define.ts';

const enc = (rule: string, title: string, reason: string, help: string, section: string): Entry =>
  entry(rule, 'invalid_encryption_parameters', 400, title, reason, help, `${VCI} ${section}`);
const PARAMS = 'Sections 8.2, 10, 12.2.4';

export const encryptionRules = {
  'ENC-01': { title: 'credential_response_encryption parameters supported', spec_ref: `${VCI} ${PARAMS}` },
  'ENC-02': {
    title: 'credential_response_encryption present when the issuer requires it',
    spec_ref: `${VCI} Sections 8.2, 8.3.1.2, 12.2.4`,
  },
  'ENC-03': { title: 'A request carrying credential_response_encryption is itself encrypted', spec_ref: `${VCI} Section 8.2` },
  'ENC-04': { title: 'An encrypted request is a JWE to an issuer key with supported enc and zip', spec_ref: `${VCI} ${PARAMS}` },
  'ENC-05': { title: 'Error responses are never encrypted', spec_ref: `${VCI} Section 8.3.1.2` },
} satisfies Record<string, Rule>;

export const encryptionDiagnostics = {
  'ENC-01.unsupported': enc(
    'ENC-01',
    'Response encryption not supported',
    'The request asks for credential_response_encryption, but this issuer advertises no credential_response_encryption in its metadata.',
    'Leave out credential_response_encryption: the metadata has no encryption parameters, so responses are sent unencrypted.',
    PARAMS,
  ),
  'ENC-01.malformed': enc(
    'ENC-01',
    'credential_response_encryption is malformed',
    'credential_response_encryption must be an object with a jwk object, an enc string and optionally a zip string.',
    'Send {"jwk": {<public key with alg>}, "enc": "A128GCM"}; add "zip": "DEF" only when the metadata lists it.',
    'Section 8.2',
  ),
  'ENC-01.draft13': enc(
    'ENC-01',
    'Draft-13 credential_response_encryption (alg beside jwk)',
    'The object carries alg next to jwk, as in OID4VCI draft 13. In 1.0 the JWE alg is the alg member of the jwk itself, and the jwk must have one.',
    'Move alg into the jwk ("jwk": {..., "alg": "ECDH-ES"}) and drop the top-level alg.',
    'Sections 8.2, 10',
  ),
  'ENC-01.draft13_ignored': enc(
    'ENC-01',
    'Draft-13 alg beside jwk ignored',
    'The object carries alg next to jwk as in OID4VCI draft 13, with the same value as jwk.alg. OID4VCI 1.0 reads only jwk.alg, so the top-level alg is ignored.',
    'Drop the top-level alg; jwk.alg is what counts.',
    'Sections 8.2, 10',
  ),
  'ENC-01.jwk_alg': enc(
    'ENC-01',
    'Response encryption jwk has no alg',
    'The JWE alg of the response is the alg of the wallet jwk, so that jwk must carry alg.',
    'Add "alg": "ECDH-ES" (or another value of alg_values_supported) to the jwk.',
    'Section 10',
  ),
  'ENC-01.alg': enc(
    'ENC-01',
    'Unsupported response encryption alg',
    'jwk.alg must be one of alg_values_supported in credential_response_encryption of the issuer metadata.',
    'Set jwk.alg to a value listed in alg_values_supported, e.g. "ECDH-ES".',
    PARAMS,
  ),
  'ENC-01.enc': enc(
    'ENC-01',
    'Unsupported response encryption enc',
    'enc must be one of enc_values_supported in credential_response_encryption of the issuer metadata.',
    'Set enc to a listed value, e.g. "A128GCM" or "A256GCM".',
    PARAMS,
  ),
  'ENC-01.zip': enc(
    'ENC-01',
    'Unsupported response compression zip',
    'zip, when present, must be one of zip_values_supported in credential_response_encryption; without that list the issuer compresses nothing.',
    'Drop zip, or use a value listed in zip_values_supported ("DEF").',
    PARAMS,
  ),
  'ENC-01.private': enc(
    'ENC-01',
    'Response encryption jwk contains a private key',
    'The jwk for response encryption must be a public key; it contains private members.',
    'Send only the public part of the key (drop d and any other private member). Rotate this key: it has been disclosed.',
    'Section 8.2',
  ),
  'ENC-01.key': enc(
    'ENC-01',
    'Response encryption jwk unusable for its alg',
    'The jwk must be a complete public key that its alg can encrypt to: an EC key on P-256, P-384 or P-521, or an X25519 key, for ECDH-ES; use, when present, must be "enc".',
    'Generate an ECDH-ES key pair (EC P-256) and send its public JWK with "use": "enc" (or no use) and "alg": "ECDH-ES".',
    'Sections 8.2, 10; RFC 7518 Section 4.6',
  ),
  'ENC-02': enc(
    'ENC-02',
    'Response encryption required',
    'The issuer metadata says credential_response_encryption.encryption_required is true, so every credential request must carry credential_response_encryption.',
    'Add credential_response_encryption with your public jwk (with alg) and enc, and encrypt the request itself (ENC-03).',
    'Sections 8.2, 8.3.1.2, 12.2.4',
  ),
  'ENC-03': enc(
    'ENC-03',
    'Unencrypted request asks for an encrypted response',
    'A request carrying credential_response_encryption must be encrypted, so that no one on the way can substitute the response encryption key.',
    'Encrypt the credential request as a JWE to a key of credential_request_encryption.jwks and send it with Content-Type: application/jwt.',
    'Section 8.2',
  ),
  'ENC-04.unsupported': enc(
    'ENC-04',
    'Request encryption not supported',
    'The request is sent as application/jwt, but this issuer advertises no credential_request_encryption in its metadata.',
    'Send the credential request as plain JSON with Content-Type: application/json.',
    PARAMS,
  ),
  'ENC-04.required': enc(
    'ENC-04',
    'Request encryption required',
    'The issuer metadata says credential_request_encryption.encryption_required is true, so the credential request must be a JWE sent as application/jwt.',
    'Encrypt the request to a key of credential_request_encryption.jwks and send it with Content-Type: application/jwt.',
    'Sections 8.2, 10',
  ),
  'ENC-04.malformed': enc(
    'ENC-04',
    'Encrypted request is not a compact JWE',
    'A request sent as application/jwt must be one JWE in compact serialization (five base64url parts separated by dots) with a JSON protected header.',
    'Send the compact JWE itself as the body, with Content-Type: application/jwt.',
    'Section 10; RFC 7516 Section 7.1',
  ),
  'ENC-04.kid': enc(
    'ENC-04',
    'Encrypted request names no issuer key',
    'The JWE kid header must name a key of credential_request_encryption.jwks; each of those keys has a kid.',
    'Take the key from the current issuer metadata and copy its kid into the JWE protected header.',
    'Section 10, 12.2.4',
  ),
  'ENC-04.alg': enc(
    'ENC-04',
    'Encrypted request alg is not the key alg',
    'The JWE alg must equal the alg of the chosen key of credential_request_encryption.jwks.',
    'Set the JWE alg to the alg of the issuer key (ECDH-ES).',
    'Section 10',
  ),
  'ENC-04.enc': enc(
    'ENC-04',
    'Unsupported request encryption enc',
    'The JWE enc must be one of credential_request_encryption.enc_values_supported.',
    'Encrypt with a listed enc, e.g. A128GCM or A256GCM.',
    PARAMS,
  ),
  'ENC-04.zip': enc(
    'ENC-04',
    'Unsupported request compression zip',
    'The JWE zip, when present, must be one of credential_request_encryption.zip_values_supported.',
    'Drop zip, or compress with a listed value (DEF).',
    PARAMS,
  ),
  'ENC-04.decrypt': enc(
    'ENC-04',
    'Encrypted request does not decrypt',
    'The JWE does not decrypt with the issuer key it names: the key agreement, authentication tag or compression is wrong.',
    'Encrypt to the public key from the current issuer metadata (ECDH-ES over its curve) and do not alter the JWE afterwards.',
    'Section 10; RFC 7516 Section 5.2',
  ),
  'ENC-04.payload': enc(
    'ENC-04',
    'Decrypted request is not a JSON credential request',
    'The plaintext of an encrypted credential request must be the JSON object of the credential request (the claims of the JWT).',
    'Encrypt the UTF-8 JSON of the credential request itself, not a signed JWT or another encoding.',
    'Sections 8.2, 10',
  ),
} satisfies Record<string, Entry>;
