// Unguessable values from a pool: one getrandom call per 4 KiB instead of one per value (a flow
// draws dozens: codes, tokens, nonces, ids, disclosure salts). Bytes are handed out once, never reused.
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

export function randomFromPool(length: number): Buffer {
  if (length > POOL_BYTES) return randomBytes(length);
  if (offset + length > pool.length) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const bytes = pool.subarray(offset, offset + length);
  offset += length;
  return bytes;
}

/** base64url of `bytes` random bytes: 32 bytes (256 bits) for codes, tokens and nonces. */
export const randomToken = (bytes = 32): string => randomFromPool(bytes).toString('base64url');
