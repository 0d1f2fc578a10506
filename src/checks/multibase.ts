// The two decoders did:key needs: multibase base58btc (draft-multiformats-multibase, prefix "z",
// the Bitcoin alphabet) and the unsigned varint that prefixes a multicodec value. Written here
// because no base58 package is among the dependencies and both are a few lines.

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_DIGIT = new Map([...BASE58_ALPHABET].map((char, digit) => [char, BigInt(digit)]));
/** Far above any public key a did:key encodes (an RSA-4096 key is about 750 characters). */
const MAX_BASE58_LENGTH = 1024;

/** Bytes of a base58btc string, or undefined when it has a character outside the alphabet. */
export function decodeBase58btc(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > MAX_BASE58_LENGTH) return undefined;
  let value = 0n;
  for (const char of text) {
    const digit = BASE58_DIGIT.get(char);
    if (digit === undefined) return undefined;
    value = value * 58n + digit;
  }
  const body: number[] = [];
  for (; value > 0n; value >>= 8n) body.unshift(Number(value & 0xffn));
  // Each leading "1" stands for one leading zero byte.
  const zeros = text.length - text.replace(/^1+/, '').length;
  return Uint8Array.from([...new Array<number>(zeros).fill(0), ...body]);
}

/** An unsigned LEB128 varint at the start of bytes (at most 9 bytes, per the multiformats spec). */
export function readVarint(bytes: Uint8Array): { value: number; length: number } | undefined {
  let value = 0;
  for (let i = 0; i < Math.min(bytes.length, 9); i++) {
    value += (bytes[i]! & 0x7f) * 2 ** (7 * i);
    if ((bytes[i]! & 0x80) === 0) return { value, length: i + 1 };
  }
  return undefined;
}
