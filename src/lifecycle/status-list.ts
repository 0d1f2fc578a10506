import { constants, deflateSync } from 'node:zlib';

// Token Status List, draft-ietf-oauth-status-list-14 (the version HAIP 1.0 pins), Sections 4, 7.
//
// Not @sd-jwt/jwt-status-list's StatusList: it keeps one JS number per entry and packs them through
// binary strings, lets a value of 2^bits through its range check, and cannot start from stored
// bytes. A packed byte array is what the store keeps and what Section 4.1 describes.

export type StatusBits = 1 | 2 | 4 | 8;

/** Section 7.1 status types; 0x03 and 0x0C..0x0F are application specific and unused here. */
export const TokenStatus = { VALID: 0, INVALID: 1, SUSPENDED: 2 } as const;

/**
 * 2^17 entries: the herd a holder hides in when a verifier fetches the list (Section 12.1), the
 * minimum W3C Bitstring Status List sets for group privacy ("Revocation Bitstring Length"). With
 * bits = 2 that is 32 KiB raw; all-VALID it deflates to about a hundred bytes, so it costs nothing.
 */
export const DEFAULT_STATUS_LIST_SIZE = 2 ** 17;

/** The JSON StatusList of Section 4.2. */
export interface StatusListJson {
  bits: StatusBits;
  lst: string;
}

/**
 * A status list of `size` entries of `bits` each. Entry i occupies bits i*bits .. i*bits+bits-1,
 * packed from the least significant bit of byte 0 upwards (Section 4.1 step 3).
 */
export class TokenStatusList {
  readonly bits: StatusBits;
  readonly size: number;
  private readonly bytes: Uint8Array;

  constructor(options: { bits?: StatusBits; size?: number; bytes?: Uint8Array } = {}) {
    this.bits = options.bits ?? 2;
    this.size = options.size ?? DEFAULT_STATUS_LIST_SIZE;
    const perByte = 8 / this.bits;
    // Section 13.4 recommends a size in bits divisible by 8, so no byte is half used.
    if (!Number.isInteger(this.size) || this.size <= 0 || this.size % perByte !== 0) {
      throw new RangeError(`size ${this.size} is not a positive multiple of ${perByte}`);
    }
    const length = this.size / perByte;
    if (options.bytes && options.bytes.length !== length)
      throw new RangeError(`expected ${length} bytes, got ${options.bytes.length}`);
    this.bytes = options.bytes ? Uint8Array.from(options.bytes) : new Uint8Array(length);
  }

  get(index: number): number {
    const { byte, shift } = this.locate(index);
    return (this.bytes[byte]! >> shift) & this.mask;
  }

  set(index: number, status: number): void {
    if (!Number.isInteger(status) || status < 0 || status > this.mask)
      throw new RangeError(`status ${status} does not fit in ${this.bits} bits`);
    const { byte, shift } = this.locate(index);
    this.bytes[byte] = (this.bytes[byte]! & ~(this.mask << shift)) | (status << shift);
  }

  /** A copy of the uncompressed byte array, for storage. */
  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  /** Section 4.1 step 4: DEFLATE in the ZLIB format, at the highest level. The CWT lst. */
  compressed(): Buffer {
    return deflateSync(this.bytes, { level: constants.Z_BEST_COMPRESSION });
  }

  /** Section 4.2: the JWT form, lst in base64url without padding. */
  toJson(): StatusListJson {
    return { bits: this.bits, lst: this.compressed().toString('base64url') };
  }

  private get mask(): number {
    return (1 << this.bits) - 1;
  }

  private locate(index: number): { byte: number; shift: number } {
    if (!Number.isInteger(index) || index < 0 || index >= this.size)
      throw new RangeError(`index ${index} is outside 0..${this.size - 1}`);
    const perByte = 8 / this.bits;
    return { byte: Math.floor(index / perByte), shift: (index % perByte) * this.bits };
  }
}
