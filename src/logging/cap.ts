// One log entry may not grow the database without bound: a value over its byte budget is cut, more
// at each step of a fixed ladder until it fits, and every cut says what it removed.
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export interface Capped {
  value: JsonValue;
  /** UTF-8 bytes of JSON.stringify(value). */
  bytes: number;
  truncated: boolean;
}

export const DEFAULT_ENTRY_BUDGET = 16 * 1024;

interface Cut {
  maxString: number;
  maxItems: number;
  maxDepth: number;
}

// Gentle first: most oversized entries are one long string (a credential, a big proof).
const LADDER: readonly Cut[] = [
  { maxString: 4096, maxItems: 100, maxDepth: 12 },
  { maxString: 1024, maxItems: 50, maxDepth: 8 },
  { maxString: 256, maxItems: 20, maxDepth: 6 },
  { maxString: 64, maxItems: 5, maxDepth: 4 },
  { maxString: 16, maxItems: 2, maxDepth: 2 },
];

const byteLength = (value: JsonValue) => Buffer.byteLength(JSON.stringify(value));

function cutString(value: string, max: number): string {
  if (value.length <= max) return value;
  // Never split a surrogate pair: the half would not survive UTF-8.
  const end = /[\uD800-\uDBFF]/.test(value[max - 1] ?? '') ? max - 1 : max;
  return `${value.slice(0, end)}…[truncated ${value.length - end} chars]`;
}

function cutValue(value: JsonValue, cut: Cut, depth: number): JsonValue {
  if (typeof value === 'string') return cutString(value, cut.maxString);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (depth >= cut.maxDepth) return `…[array of ${value.length} items]`;
    const kept = value.slice(0, cut.maxItems).map((item) => cutValue(item, cut, depth + 1));
    return value.length > cut.maxItems ? [...kept, `…[${value.length - cut.maxItems} more items]`] : kept;
  }
  const entries = Object.entries(value);
  if (depth >= cut.maxDepth) return `…[object with ${entries.length} keys]`;
  const out: Record<string, JsonValue> = {};
  for (const [key, item] of entries.slice(0, cut.maxItems)) out[cutString(key, cut.maxString)] = cutValue(item, cut, depth + 1);
  if (entries.length > cut.maxItems) out['…'] = `[${entries.length - cut.maxItems} more keys]`;
  return out;
}

/** The value itself when it fits; else the first cut of the ladder that fits; else a marker naming the size. */
export function capToBudget(value: unknown, budgetBytes: number = DEFAULT_ENTRY_BUDGET): Capped {
  // JSON round trip: what would be stored (toJSON applied, undefined and functions dropped).
  const json = JSON.stringify(value) ?? 'null';
  const bytes = Buffer.byteLength(json);
  const normalised = JSON.parse(json) as JsonValue;
  if (bytes <= budgetBytes) return { value: normalised, bytes, truncated: false };
  for (const cut of LADDER) {
    const candidate = cutValue(normalised, cut, 0);
    const size = byteLength(candidate);
    if (size <= budgetBytes) return { value: candidate, bytes: size, truncated: true };
  }
  const marker = `…[${bytes} bytes dropped]`;
  return { value: marker, bytes: byteLength(marker), truncated: true };
}
