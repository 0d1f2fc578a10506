import { COSE_ES256, COSE_HEADER, cbor, signCoseSign1 } from './cose-sign1.ts';
import type { TokenStatusList } from './status-list.ts';
import { type StatusListTokenOptions, statusListTimes } from './status-list-jwt.ts';
import type { X5cSigner } from './x5c-signer.ts';

// Status List Token in CWT format, draft-ietf-oauth-status-list-14 Section 5.2; served with
// Content-Type application/statuslist+cwt (Section 8.2).

export const STATUS_LIST_CWT_MEDIA_TYPE = 'application/statuslist+cwt';

/** CWT claim keys: RFC 8392 Section 3.1.2 (sub 2, exp 4, iat 6) and the draft's Section 14.3. */
export const CWT_CLAIM = { sub: 2, exp: 4, iat: 6, statusList: 65533, ttl: 65534 } as const;

export function signStatusListCwt(list: TokenStatusList, options: StatusListTokenOptions, signer: X5cSigner): Uint8Array {
  const { iat, exp, ttl } = statusListTimes(options);
  // RFC 9360 Section 2: x5chain is one bstr for a single certificate, and the end-entity
  // certificate must be integrity protected, so it sits in the protected header.
  const protectedHeader = new Map<number, unknown>([
    [COSE_HEADER.alg, COSE_ES256],
    [COSE_HEADER.typ, STATUS_LIST_CWT_MEDIA_TYPE],
    [COSE_HEADER.x5chain, x5chain(signer.x5c)],
  ]);
  const claims = new Map<number, unknown>([
    [CWT_CLAIM.sub, options.uri],
    [CWT_CLAIM.iat, iat],
    [CWT_CLAIM.exp, exp],
    [CWT_CLAIM.ttl, ttl],
    // Section 4.3: bits and lst are text labels, lst the compressed bytes themselves.
    [
      CWT_CLAIM.statusList,
      new Map<string, unknown>([
        ['bits', list.bits],
        ['lst', list.compressed()],
      ]),
    ],
  ]);
  return signCoseSign1(protectedHeader, cbor.encode(claims), signer.privateKey);
}

function x5chain(x5c: readonly string[]): Uint8Array | Uint8Array[] {
  const certificates = x5c.map((entry) => new Uint8Array(Buffer.from(entry, 'base64')));
  return certificates.length === 1 ? certificates[0]! : certificates;
}
