import { constants, gzipSync } from 'node:zlib';

// W3C Bitstring Status List v1.0: one bit per credential for one purpose (statusSize 1), for
// jwt_vc_json credentials. Unlike the Token Status List, index 0 is the left-most bit, i.e. the
// most significant bit of byte 0 ("credentialSubject.encodedList", "Bitstring Encoding").

/** 16 KB uncompressed, the minimum the specification demands for group privacy. */
export const BITSTRING_MIN_ENTRIES = 131_072;

export type BitstringStatusPurpose = 'revocation' | 'suspension';

export class BitstringStatusList {
  readonly size: number;
  private readonly bytes: Uint8Array;

  constructor(options: { size?: number; bytes?: Uint8Array } = {}) {
    this.size = options.size ?? BITSTRING_MIN_ENTRIES;
    if (!Number.isInteger(this.size) || this.size < BITSTRING_MIN_ENTRIES || this.size % 8 !== 0) {
      throw new RangeError(`size ${this.size} is not a multiple of 8 of at least ${BITSTRING_MIN_ENTRIES}`);
    }
    if (options.bytes && options.bytes.length !== this.size / 8)
      throw new RangeError(`expected ${this.size / 8} bytes, got ${options.bytes.length}`);
    this.bytes = options.bytes ? Uint8Array.from(options.bytes) : new Uint8Array(this.size / 8);
  }

  get(index: number): boolean {
    const { byte, mask } = this.locate(index);
    return (this.bytes[byte]! & mask) !== 0;
  }

  set(index: number, value: boolean): void {
    const { byte, mask } = this.locate(index);
    this.bytes[byte] = value ? this.bytes[byte]! | mask : this.bytes[byte]! & ~mask;
  }

  /** A copy of the uncompressed bitstring, for storage. */
  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  /** Multibase base64url ("u" prefix, no padding) of the GZIP-compressed bitstring. */
  encodedList(): string {
    return `u${gzipSync(this.bytes, { level: constants.Z_BEST_COMPRESSION }).toString('base64url')}`;
  }

  private locate(index: number): { byte: number; mask: number } {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw new RangeError(`index ${index} is outside 0..${this.size - 1}`);
    return { byte: Math.floor(index / 8), mask: 0x80 >> (index % 8) };
  }
}
