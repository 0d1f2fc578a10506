// TokenStatusList against draft-ietf-oauth-status-list-14 Section 4 and its test vectors, decoded
// independently here (node:zlib inflate, bit arithmetic written from Section 4.1) and by
// @sd-jwt/jwt-status-list as a second, unrelated decoder.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inflateSync } from 'node:zlib';
import { StatusList as SdJwtStatusList } from '@sd-jwt/jwt-status-list';
import { DEFAULT_STATUS_LIST_SIZE, type StatusBits, TokenStatus, TokenStatusList } from '../../src/lifecycle/status-list.ts';

/** Section 4.1 step 3, read back: entry i sits `bits` wide from the least significant bit of its byte. */
function statusAt(bytes: Uint8Array, bits: number, index: number): number {
  const perByte = 8 / bits;
  return (bytes[Math.floor(index / perByte)]! >> ((index % perByte) * bits)) & ((1 << bits) - 1);
}
const inflateLst = (lst: string) => new Uint8Array(inflateSync(Buffer.from(lst, 'base64url')));

// Section 4.1 examples: 16 entries of 1 bit, 12 entries of 2 bits; Section 4.2 gives their lst.
const SECTION_4_EXAMPLES: { bits: StatusBits; statuses: number[]; bytes: number[]; lst: string }[] = [
  { bits: 1, statuses: [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1], bytes: [0xb9, 0xa3], lst: 'eNrbuRgAAhcBXQ' },
  { bits: 2, statuses: [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3], bytes: [0xc9, 0x44, 0xf9], lst: 'eNo76fITAAPfAgc' },
];

// Appendix "Test vectors", 2 bit Status List: 2^20 entries, these set, the rest 0.
const TWO_BIT_VECTOR: [number, number][] = [
  [0, 1],
  [1993, 2],
  [25460, 1],
  [159495, 3],
  [495669, 1],
  [554353, 1],
  [645645, 2],
  [723232, 1],
  [854545, 1],
  [934534, 2],
  [1000345, 3],
];
const TWO_BIT_VECTOR_LST =
  'eNrt2zENACEQAEEuoaBABP5VIO01fCjIHTMStt9ovGVIAAAAAABAbiEBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEB5' +
  'WwIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' +
  'AAAAAAAAAID0ugQAAAAAAAAAAAAAAAAAQG12SgAAAAAAAAAAAAAAAAAAAAAAAAAAAOCSIQEAAAAAAAAAAAAAAAAAAAAAAAD8ExIA' +
  'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAwJEuAQAAAAAAAAAAAAAAAAAAAAAAAMB9SwIAAAAAAAAAAAAAAAAAAACoYUoA' +
  'AAAAAAAAAAAAAEBqH81gAQw';

describe('TokenStatusList encoding (FMT-SD-08)', () => {
  for (const example of SECTION_4_EXAMPLES) {
    it(`FMT-SD-08: the Section 4.1 example with bits = ${example.bits} gives its bytes and lst`, () => {
      const list = new TokenStatusList({ bits: example.bits, size: example.statuses.length });
      example.statuses.forEach((status, i) => {
        list.set(i, status);
      });
      assert.deepEqual([...list.toBytes()], example.bytes);
      assert.deepEqual(list.toJson(), { bits: example.bits, lst: example.lst });
    });
  }

  it('FMT-SD-08: the 2-bit test vector of 2^20 entries deflates to the draft lst, byte for byte', () => {
    const list = new TokenStatusList({ bits: 2, size: 2 ** 20 });
    for (const [index, status] of TWO_BIT_VECTOR) list.set(index, status);
    assert.equal(list.toJson().lst, TWO_BIT_VECTOR_LST);
    const bytes = inflateLst(TWO_BIT_VECTOR_LST);
    for (const [index, status] of TWO_BIT_VECTOR) assert.equal(statusAt(bytes, 2, index), status, `index ${index}`);
  });

  it('FMT-SD-08: lst is base64url without padding of a ZLIB stream (RFC 1950 header 0x78)', () => {
    const { lst } = new TokenStatusList().toJson();
    assert.match(lst, /^[A-Za-z0-9_-]+$/);
    assert.equal(Buffer.from(lst, 'base64url')[0], 0x78);
  });
});

describe('TokenStatusList get/set (FMT-SD-08: 0 valid, 1 invalid, 2 suspended)', () => {
  for (const k of [0, 1, 2, 3, 4, 5, 77_777, DEFAULT_STATUS_LIST_SIZE - 1]) {
    for (const status of [TokenStatus.INVALID, TokenStatus.SUSPENDED]) {
      it(`FMT-SD-08: setting index ${k} to ${status} changes exactly bits ${2 * k}..${2 * k + 1}`, () => {
        const list = new TokenStatusList();
        const before = list.toBytes();
        list.set(k, status);
        const after = list.toBytes();
        const changed: number[] = [];
        for (let bit = 0; bit < after.length * 8; bit++) {
          if (((before[bit >> 3]! ^ after[bit >> 3]!) >> (bit & 7)) & 1) changed.push(bit);
        }
        // bits 2k (value bit 0) and 2k+1 (value bit 1), counted from the LSB of byte 0
        assert.deepEqual(
          changed,
          [2 * k, 2 * k + 1].filter((bit) => (status >> (bit - 2 * k)) & 1),
        );
        assert.equal(list.get(k), status);
        assert.equal(statusAt(inflateLst(list.toJson().lst), 2, k), status, 'independent decode of lst');
        assert.equal(
          SdJwtStatusList.decompressStatusList(list.toJson().lst, 2).getStatus(k),
          status,
          '@sd-jwt/jwt-status-list decode',
        );
      });
    }
  }

  it('FMT-SD-08: neighbours keep their status when an entry is overwritten', () => {
    const list = new TokenStatusList();
    [TokenStatus.SUSPENDED, TokenStatus.INVALID, TokenStatus.SUSPENDED].forEach((s, i) => {
      list.set(40 + i, s);
    });
    list.set(41, TokenStatus.VALID);
    assert.deepEqual([list.get(40), list.get(41), list.get(42)], [2, 0, 2]);
  });

  it('FMT-SD-08: a list restored from its bytes is the same list', () => {
    const list = new TokenStatusList();
    list.set(123_456, TokenStatus.SUSPENDED);
    const restored = new TokenStatusList({ bytes: list.toBytes() });
    assert.equal(restored.get(123_456), TokenStatus.SUSPENDED);
    assert.equal(restored.toJson().lst, list.toJson().lst);
  });

  it('FMT-ALL-01: the default list has 2^17 entries of 2 bits and stays small on the wire', () => {
    const list = new TokenStatusList();
    assert.equal(list.size, 131_072);
    assert.equal(list.bits, 2);
    assert.equal(list.toBytes().length, 32_768);
    assert.ok(list.compressed().length < 200, `${list.compressed().length} bytes`);
  });

  const refusals: { name: string; act: () => void }[] = [
    { name: 'index past the end', act: () => new TokenStatusList({ size: 8 }).set(8, 1) },
    { name: 'negative index', act: () => new TokenStatusList({ size: 8 }).get(-1) },
    { name: 'status 4 does not fit in 2 bits', act: () => new TokenStatusList({ size: 8 }).set(0, 4) },
    { name: 'size not filling whole bytes', act: () => new TokenStatusList({ bits: 2, size: 10 }) },
    { name: 'stored bytes of another size', act: () => new TokenStatusList({ size: 8, bytes: new Uint8Array(3) }) },
  ];
  for (const { name, act } of refusals) it(`FMT-SD-08: refuses ${name}`, () => assert.throws(act, RangeError));
});
