// Holder keys of key proofs given as a DID URL in kid or as an x5c chain (OID4VCI 1.0 Appendix F.1).
import { type Entry, entry, VCI } from './define.ts';

const DID_KEY = 'did:key Method v0.7 (W3C CCG) Sections 3.1.2, 3.1.4';
const DID_JWK = 'did:jwk Method Specification Sections 2.2, 2.4';
const X5C = `${VCI} Appendix F.1; RFC 7515 Section 4.1.6`;

const holderKey = (rule: string, title: string, reason: string, help: string, spec_ref: string): Entry =>
  entry(rule, 'invalid_proof', 400, title, reason, help, spec_ref);

export const holderKeyDiagnostics = {
  'PRF-06.did_method': holderKey(
    'PRF-06',
    'DID method not supported',
    'The proof kid is a DID URL of a method this issuer cannot resolve to a key; it resolves did:jwk and did:key only, without network access.',
    'Send the key as a jwk header, or use a did:jwk or did:key DID URL in kid.',
    `${VCI} Section 12.2.4, Appendix F.1`,
  ),
  'PRF-03.did_unresolvable': holderKey(
    'PRF-03',
    'DID URL does not resolve to a key',
    'A did:jwk must be base64url of a JSON public JWK (fragment #0 only); a did:key must be a base58btc multibase ("z") multicodec public key whose fragment, if any, repeats the method-specific id.',
    'Build the DID from the encoded public key exactly, and point kid at its only verification method (did:jwk:...#0, did:key:z...#z...).',
    `${DID_KEY}; ${DID_JWK}`,
  ),
  'PRF-06.did_key_type': holderKey(
    'PRF-06',
    'DID key type not supported',
    'The DID encodes a key type that cannot sign key proofs here: did:key resolves P-256, P-384, P-521 and Ed25519 signing keys; a did:jwk key with "use": "enc" is for key agreement only.',
    'Use an ES256 (P-256) or Ed25519 signing key for the DID that signs the proof.',
    `${DID_KEY}; ${DID_JWK}`,
  ),
  'PRF-03.x5c_malformed': holderKey(
    'PRF-03',
    'Proof x5c is malformed',
    'x5c must be a non-empty array of standard base64 (not base64url, not PEM) DER certificates, the first holding the key the credential is bound to.',
    'Encode each certificate as standard base64 DER, the certificate of the proof key first.',
    X5C,
  ),
  'PRF-03.x5c_validity': holderKey(
    'PRF-03',
    'Proof key certificate expired or not yet valid',
    'The first x5c certificate, which carries the proof key, is outside its validity period. Holder keys need no trust anchor, so the key is still used; a verifier that checks the certificate will not accept it.',
    'Renew the certificate of the holder key, or check the device clock.',
    `${X5C}; RFC 5280 Section 4.1.2.5`,
  ),
  'PRF-03.x5c_chain': holderKey(
    'PRF-03',
    'Proof x5c is not a chain',
    'Each x5c certificate after the first should have issued and signed the one before it. Holder keys need no trust anchor, so the first key is still used; the rest of x5c explains nothing.',
    'Send x5c in order: the certificate of the proof key first, then each issuing CA certificate; or send only the first certificate.',
    `${X5C}; RFC 5280 Section 6.1`,
  ),
} satisfies Record<string, Entry>;
