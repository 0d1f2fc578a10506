// The status reference a credential carries (draft-ietf-oauth-status-list-14 Section 6): the
// SD-JWT VC status claim and the mdoc MSO status, checked against the draft's MSO example bytes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Encoder } from 'cbor-x';
import { cbor } from '../../src/lifecycle/cose-sign1.ts';
import { msoStatus, sdJwtStatusClaim } from '../../src/lifecycle/referenced-token.ts';

const URI = 'https://example.com/statuslists/1';

// Section 6.3.2 example IssuerAuth: the CBOR of the MSO member "status" (key and value), idx 412.
const MSO_EXAMPLE_STATUS_MEMBER =
  '66737461747573' + // "status"
  'a16b7374617475735f6c697374a26369647819019c63757269782168747470733a2f2f6578616d706c652e636f6d2f7374617475736c697374732f31';

describe('referenced token status (FMT-SD-07, H-15)', () => {
  it('FMT-SD-07: the SD-JWT VC status claim is {status_list: {idx, uri}}', () => {
    assert.deepEqual(sdJwtStatusClaim(URI, 0), { status_list: { idx: 0, uri: URI } });
    assert.deepEqual(JSON.parse(JSON.stringify({ status: sdJwtStatusClaim(URI, 412) })), {
      status: { status_list: { idx: 412, uri: URI } },
    });
  });

  it('FMT-MD-03: the MSO status encodes byte for byte as in the draft mdoc example', () => {
    for (const [name, encoder] of [
      ['cbor-x defaults', new Encoder()],
      ['the COSE encoder', cbor],
    ] as const) {
      const encoded = Buffer.from(encoder.encode(new Map([['status', msoStatus(URI, 412)]]))).toString('hex');
      assert.equal(encoded, `a1${MSO_EXAMPLE_STATUS_MEMBER}`, name);
    }
  });

  for (const idx of [-1, 1.5, Number.NaN, 2 ** 53]) {
    it(`FMT-SD-07: idx ${idx} is refused (a non-negative integer)`, () => {
      assert.throws(() => sdJwtStatusClaim(URI, idx), RangeError);
      assert.throws(() => msoStatus(URI, idx), RangeError);
    });
  }
});
