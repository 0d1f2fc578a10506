import { randomInt } from 'node:crypto';

// Index allocation for status lists. Indexes are unique (draft-ietf-oauth-status-list-14 Section
// 13.3: no double allocation) and random, never sequential, so that neither an index nor its
// neighbours tell the order or number of issued credentials (Sections 12.4, 12.5.1; W3C Bitstring
// Status List, statusListIndex: "SHOULD assign indexes randomly"; OID4VCI 1.0 Section 15.4.1).

/**
 * Random probes before a list counts as full. A list with a fraction p of its entries taken fails
 * all probes with probability p^64: about 1e-3 at 90 %, so lists are retired only when nearly full.
 */
export const MAX_INDEX_PROBES = 64;

export interface IndexAllocation {
  size: number;
  /** Whether an index is already allocated (the store answers this). */
  isTaken: (index: number) => boolean;
  /** A uniform random integer in [0, size); node:crypto's CSPRNG unless a test injects one. */
  random?: (size: number) => number;
}

/** A random free index, or null when MAX_INDEX_PROBES probes all hit taken ones: start a new list. */
export function pickFreeStatusIndex({ size, isTaken, random = randomInt }: IndexAllocation): number | null {
  if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError(`size ${size} is not a positive integer`);
  for (let probe = 0; probe < MAX_INDEX_PROBES; probe++) {
    const index = random(size);
    if (!isTaken(index)) return index;
  }
  return null;
}
