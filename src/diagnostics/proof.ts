// Key proofs of the jwt proof type (OID4VCI 1.0 Appendix F.1, F.4).
import { type Entry, entry, type Rule, VCI } from './define.ts';

const proof = (rule: string, title: string, reason: string, help: string, section = 'Appendix F.1, F.4'): Entry =>
  entry(rule, 'invalid_proof', 400, title, reason, help, `${VCI} ${section}`);

export const proofRules = {
  'PRF-01': { title: 'Proof typ is openid4vci-proof+jwt', spec_ref: `${VCI} Appendix F.1, F.4` },
  'PRF-02': { title: 'Proof alg asymmetric and supported', spec_ref: `${VCI} Appendix F.1, F.4; HAIP 1.0 Section 7` },
  'PRF-03': { title: 'Exactly one key source: kid, jwk or x5c', spec_ref: `${VCI} Appendix F.1` },
  'PRF-04': { title: 'Proof key is public', spec_ref: `${VCI} Appendix F.4` },
  'PRF-05': { title: 'Proof signature verifies', spec_ref: `${VCI} Appendix F.1, F.4` },
  'PRF-06': { title: 'Proof key form suits the binding methods', spec_ref: `${VCI} Section 12.2.4, Appendix F.1` },
  'PRF-07': { title: 'Proof aud is the Credential Issuer Identifier', spec_ref: `${VCI} Appendix F.1` },
  'PRF-08': { title: 'Proof nonce is a live c_nonce', spec_ref: `${VCI} Section 8.3.1.2, Appendix F.1, F.4` },
  'PRF-09': { title: 'Proof iat present and recent', spec_ref: `${VCI} Appendix F.1, F.4` },
  'PRF-10': { title: 'Proof iss is the client_id (absent when anonymous)', spec_ref: `${VCI} Appendix F.1` },
  'PRF-11': { title: 'Key attestation of a proof attests the proof key', spec_ref: `${VCI} Appendix D.1, F.1` },
  'PRF-12': {
    title: 'Key attestation present when required, with accepted levels',
    spec_ref: `${VCI} Section 12.2.4, Appendix D`,
  },
  'PRF-14': { title: 'Every proof of a batch uses its own key', spec_ref: `${VCI} Section 8.3, Appendix F.4` },
} satisfies Record<string, Rule>;

export const proofDiagnostics = {
  'PRF-00.malformed': proof(
    'PRF-05',
    'Proof is not a JWT',
    'Each entry of proofs.jwt must be a compact JWS string.',
    'Send the signed proof JWT itself (header.payload.signature).',
  ),
  'PRF-01': proof(
    'PRF-01',
    'Wrong proof typ',
    'The JOSE header typ of a key proof must be exactly openid4vci-proof+jwt.',
    'Set the protected header typ to "openid4vci-proof+jwt".',
  ),
  'PRF-02': proof(
    'PRF-02',
    'Unsupported proof alg',
    'The proof alg must be asymmetric and listed in proof_signing_alg_values_supported of the configuration.',
    'Sign the proof with ES256 (HAIP requires ES256 support).',
  ),
  'PRF-03': proof(
    'PRF-03',
    'Proof key source ambiguous or missing',
    'The proof header must carry exactly one of kid, jwk or x5c.',
    'Put the public key in the jwk header and remove the other key parameters.',
  ),
  'PRF-04': proof(
    'PRF-04',
    'Proof jwk contains a private key',
    'The proof key must be a public key; it contains private members.',
    'Export only the public part of the key. Rotate this key: it has been disclosed.',
  ),
  'PRF-05': proof(
    'PRF-05',
    'Proof signature invalid',
    'The proof signature does not verify with the key in its header.',
    'Sign the proof with the private key matching the jwk header.',
  ),
  'PRF-06': proof(
    'PRF-06',
    'Proof key form not supported',
    'The proof key must suit cryptographic_binding_methods_supported of the configuration: a jwk (or an x5c certificate) for SD-JWT VC and mdoc, and also a did:jwk or did:key DID URL in kid for jwt_vc_json.',
    'Send the key as a jwk header, or, where the configuration lists did:jwk or did:key, name it by that DID URL in kid; a kid that is not a DID URL names no key.',
    'Section 12.2.4, Appendix F.1',
  ),
  'PRF-07': proof(
    'PRF-07',
    'Proof aud is not the credential issuer',
    'The aud claim of a key proof must be the Credential Issuer Identifier.',
    'Set aud to the credential_issuer value of the issuer metadata, exactly.',
  ),
  'PRF-08.missing': proof(
    'PRF-08',
    'Proof nonce missing',
    'This issuer has a nonce endpoint, so every key proof must carry a c_nonce.',
    'POST to the nonce_endpoint and put the returned c_nonce in the proof nonce claim.',
  ),
  'PRF-08.unknown': {
    rule: 'PRF-08',
    error: 'invalid_nonce',
    status: 400,
    title: 'Proof nonce is not a valid c_nonce',
    reason:
      'The nonce claim is not a c_nonce this issuer handed out, or it expired, or it was already used for an issued credential.',
    help: 'POST to the nonce_endpoint for a fresh c_nonce and create new proofs with it.',
    spec_ref: `${VCI} Section 8.3.1.2, Appendix F.4`,
  },
  'PRF-09': proof(
    'PRF-09',
    'Proof iat missing or out of window',
    'The iat claim is required and must be recent (300 s in the past to 30 s in the future).',
    'Set iat to the current time in seconds when creating the proof.',
  ),
  'PRF-10': proof(
    'PRF-10',
    'Proof iss does not match the client',
    'The proof iss must be the client_id the access token was issued to; with anonymous pre-authorized access there is none, so iss must be absent.',
    'Remove iss, or set it to the client_id used at the token endpoint.',
  ),
  'PRF-14': proof(
    'PRF-14',
    'Same key in several proofs',
    'Each key binds at most one credential, so every proof in a batch must use a distinct key.',
    'Generate a distinct key pair for every proof in proofs.jwt.',
    'Section 8.3, Appendix F.4',
  ),
} satisfies Record<string, Entry>;
