// How an issued credential points at its entry: draft-ietf-oauth-status-list-14 Section 6.

export interface StatusListReference {
  idx: number;
  uri: string;
}

function reference(uri: string, idx: number): StatusListReference {
  if (!Number.isSafeInteger(idx) || idx < 0) throw new RangeError(`idx ${idx} is not a non-negative integer`);
  return { idx, uri };
}

/**
 * The value of the status claim of an SD-JWT VC (Section 6.2; SD-JWT VC -13 Section 3.2.2.2):
 * `status: { status_list: { idx, uri } }`. It must stay out of the selectively disclosable claims.
 */
export function sdJwtStatusClaim(uri: string, idx: number): { status_list: StatusListReference } {
  return { status_list: reference(uri, idx) };
}

/**
 * The Status structure of an mdoc MSO (Section 6.3.2; ISO/IEC 18013-5 second edition, MSO `status`):
 * text labels, idx an unsigned integer, uri the URI of the CWT Status List Token. A Map, so that
 * it encodes as a CBOR map in this order rather than as whatever an encoder makes of an object.
 */
export function msoStatus(uri: string, idx: number): Map<'status_list', Map<'idx' | 'uri', number | string>> {
  const ref = reference(uri, idx);
  return new Map([
    [
      'status_list',
      new Map<'idx' | 'uri', number | string>([
        ['idx', ref.idx],
        ['uri', ref.uri],
      ]),
    ],
  ]);
}
