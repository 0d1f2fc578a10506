import { KeyObject, sign } from 'node:crypto';
import { Encoder } from 'cbor-x';

// COSE_Sign1 with ES256 (RFC 9052 Sections 4.2, 4.4; RFC 9053 Section 2.1), for the CWT status
// list token. cbor-x writes the CBOR; node:crypto signs, as the JWS paths do.

/** Maps stay CBOR maps with integer labels; byte strings stay untagged (cbor-x tags them by default). */
export const cbor = new Encoder({ mapsAsObjects: false, useRecords: false, tagUint8Array: false });

export const COSE_HEADER = { alg: 1, typ: 16, x5chain: 33 } as const;
export const COSE_ES256 = -7;

/**
 * [protected, unprotected, payload, signature], untagged as in the examples of
 * draft-ietf-oauth-status-list-14: the media type already says what the bytes are.
 */
export function signCoseSign1(protectedHeader: Map<number, unknown>, payload: Uint8Array, privateKey: CryptoKey): Uint8Array {
  const protectedBytes = cbor.encode(protectedHeader);
  const toBeSigned = cbor.encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  const signature = sign('sha256', toBeSigned, { key: KeyObject.from(privateKey), dsaEncoding: 'ieee-p1363' });
  return cbor.encode([protectedBytes, new Map(), payload, signature]);
}
