// DPoP proofs at the token and resource endpoints (RFC 9449).
import { DPOP, type Entry, entry, type Rule } from './define.ts';

// DPoP failures share code and shape; the endpoint decides 400 (AS) or 401 (RS).
const dpop = (rule: string, title: string, reason: string, help: string, section: string): Entry =>
  entry(rule, 'invalid_dpop_proof', 400, title, reason, help, `${DPOP} Section ${section}`);

export const dpopRules = {
  'DPOP-01': { title: 'One DPoP header holding one JWT', spec_ref: `${DPOP} Section 4.3 (1, 2)` },
  'DPOP-02': { title: 'DPoP typ is dpop+jwt', spec_ref: `${DPOP} Sections 4.2, 4.3 (4)` },
  'DPOP-03': { title: 'DPoP alg asymmetric and supported', spec_ref: `${DPOP} Section 4.3 (5)` },
  'DPOP-04': { title: 'DPoP jwk present and public', spec_ref: `${DPOP} Sections 4.2, 4.3 (7)` },
  'DPOP-05': { title: 'DPoP signature verifies with its jwk', spec_ref: `${DPOP} Section 4.3 (6)` },
  'DPOP-06': { title: 'DPoP claims jti, htm, htu, iat (and ath) present', spec_ref: `${DPOP} Sections 4.2, 4.3 (3)` },
  'DPOP-07': { title: 'DPoP htm is the request method', spec_ref: `${DPOP} Section 4.3 (8)` },
  'DPOP-08': { title: 'DPoP htu is the endpoint URL', spec_ref: `${DPOP} Section 4.3 (9)` },
  'DPOP-09': { title: 'DPoP iat within the accepted window', spec_ref: `${DPOP} Sections 4.3 (11), 11.1` },
  'DPOP-10': { title: 'DPoP jti not replayed', spec_ref: `${DPOP} Section 11.1` },
  'DPOP-11': { title: 'DPoP ath is the hash of the access token', spec_ref: `${DPOP} Sections 4.2, 4.3 (12), 7` },
  'DPOP-12': { title: 'DPoP key matches the token binding', spec_ref: `${DPOP} Sections 6.1, 7.1` },
  'DPOP-13': { title: 'DPoP proof carries a current server nonce', spec_ref: `${DPOP} Sections 8, 9` },
} satisfies Record<string, Rule>;

export const dpopDiagnostics = {
  'DPOP-01.multiple': dpop(
    'DPOP-01',
    'More than one DPoP header',
    'A request may carry exactly one DPoP header.',
    'Send a single DPoP header with one proof JWT.',
    '4.3 (1)',
  ),
  'DPOP-01.malformed': dpop(
    'DPOP-01',
    'DPoP header is not a JWT',
    'The DPoP header must hold one compact JWS.',
    'Send the compact JWS (three base64url parts separated by dots), without a scheme prefix.',
    '4.3 (2)',
  ),
  'DPOP-02': dpop(
    'DPOP-02',
    'Wrong DPoP typ',
    'The JOSE header typ of a DPoP proof must be dpop+jwt.',
    'Set the protected header typ to "dpop+jwt".',
    '4.2, 4.3 (4)',
  ),
  'DPOP-03': dpop(
    'DPOP-03',
    'Unsupported DPoP alg',
    'The DPoP proof alg must be an asymmetric algorithm listed in dpop_signing_alg_values_supported.',
    'Sign the proof with ES256 (or another listed algorithm); never none or HS*.',
    '4.3 (5)',
  ),
  'DPOP-04.missing': dpop(
    'DPOP-04',
    'DPoP jwk missing',
    'The DPoP proof header must carry the public key as jwk.',
    'Put the public JWK of the DPoP key in the protected header jwk.',
    '4.2, 4.3 (7)',
  ),
  'DPOP-04.private': dpop(
    'DPOP-04',
    'DPoP jwk contains a private key',
    'The jwk header of a DPoP proof must be a public key; it contains private members.',
    'Export only the public part of the key (drop d, p, q, dp, dq, qi, k). Rotate this key: it has been disclosed.',
    '4.2, 4.3 (7)',
  ),
  'DPOP-05': dpop(
    'DPOP-05',
    'DPoP signature invalid',
    'The DPoP proof signature does not verify with its jwk header.',
    'Sign the proof with the private key matching the jwk header.',
    '4.3 (6)',
  ),
  'DPOP-06': dpop(
    'DPOP-06',
    'DPoP claim missing',
    'A DPoP proof needs jti, htm, htu and iat (and ath when presenting an access token).',
    'Add the missing claim named in the detail.',
    '4.2, 4.3 (3)',
  ),
  'DPOP-07': dpop(
    'DPOP-07',
    'DPoP htm mismatch',
    'The htm claim must equal the HTTP method of the request.',
    'Set htm to the method of this request, e.g. "POST".',
    '4.3 (8)',
  ),
  'DPOP-08': dpop(
    'DPOP-08',
    'DPoP htu mismatch',
    'The htu claim must equal the URL of this endpoint, without query and fragment.',
    'Set htu to the endpoint URL from the metadata (e.g. token_endpoint), not the URL of another endpoint.',
    '4.3 (9)',
  ),
  'DPOP-09': dpop(
    'DPOP-09',
    'DPoP iat out of window',
    'The DPoP proof was created too long ago or too far in the future.',
    'Create a fresh proof for every request and check the device clock; proofs are accepted from 300 s in the past to 30 s in the future.',
    '4.3 (11), 11.1',
  ),
  'DPOP-10': dpop(
    'DPOP-10',
    'DPoP proof replayed',
    'This DPoP proof jti was already used at this endpoint.',
    'Create a new proof with a fresh random jti for every request, including retries.',
    '11.1',
  ),
  'DPOP-11': dpop(
    'DPOP-11',
    'DPoP ath mismatch',
    'The ath claim must be the base64url SHA-256 hash of the access token sent in the Authorization header.',
    'Compute ath = BASE64URL(SHA-256(ASCII(access_token))) without padding.',
    '4.2, 4.3 (12), 7',
  ),
  'DPOP-12': {
    rule: 'DPOP-12',
    error: 'invalid_token',
    status: 401,
    title: 'DPoP key does not match the token',
    reason: 'The access token is bound to another DPoP key than the one that signed this proof.',
    help: 'Sign DPoP proofs for resource requests with the same key used at the token endpoint.',
    spec_ref: `${DPOP} Sections 6.1, 7.1`,
  },
  'DPOP-13': {
    rule: 'DPOP-13',
    error: 'use_dpop_nonce',
    status: 400,
    title: 'DPoP nonce required',
    reason: 'This offer demands a server-provided DPoP nonce and the proof does not carry a current one.',
    help: 'Retry with a new proof whose nonce claim is the value of the DPoP-Nonce response header.',
    spec_ref: `${DPOP} Sections 8, 9`,
  },
} satisfies Record<string, Entry>;
