// Where an issued credential's status lives: an index reserved in a shared status list (one list
// kind per format), the list built from its entries when fetched, and the status a tester sets.
import type { FormatId } from '../formats/index.ts';
import { BITSTRING_MIN_ENTRIES, BitstringStatusList, type BitstringStatusPurpose } from '../lifecycle/bitstring-status-list.ts';
import { MAX_INDEX_PROBES } from '../lifecycle/status-index.ts';
import { DEFAULT_STATUS_LIST_SIZE, TokenStatus, TokenStatusList } from '../lifecycle/status-list.ts';
import { randomFromPool, randomToken } from '../random.ts';
import type { Repositories } from '../store/index.ts';
import type { StatusListKind, StatusListRecord } from '../store/repos/status-lists.ts';
import { issuerContextFor } from './issuer-context.ts';

/** How a minted credential references its entry: the list and the index signed into it. */
export interface StatusReference {
  list_id: string;
  idx: number;
}

/** Token Status List (FMT-SD-07, H-15) for SD-JWT VC, its CWT form for mdoc, Bitstring Status List for jwt_vc_json. */
export const STATUS_LIST_KIND: Record<FormatId, StatusListKind> = {
  'dc+sd-jwt': 'token-jwt',
  mso_mdoc: 'token-cwt',
  jwt_vc_json: 'bitstring',
};

export const STATUS_NAMES = ['valid', 'invalid', 'suspended'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];
export const STATUS_VALUE: Record<StatusName, number> = {
  valid: TokenStatus.VALID,
  invalid: TokenStatus.INVALID,
  suspended: TokenStatus.SUSPENDED,
};
export const statusName = (value: number): StatusName | 'unknown' => STATUS_NAMES[value] ?? 'unknown';

/** The path of a list below PUBLIC_URL; never session-scoped, so every session shares the herd. */
export const STATUS_LIST_PATH = '/status-lists';

export function statusListUri(publicUrl: string, listId: string, purpose?: BitstringStatusPurpose): string {
  return issuerContextFor(publicUrl).url(`${STATUS_LIST_PATH}/${listId}${purpose ? `/${purpose}` : ''}`);
}

/** A uniform random index in [0, size), from the pool (size is a power of two here). */
function randomIndex(size: number): number {
  return randomFromPool(4).readUInt32BE(0) % size;
}

const newList = (kind: StatusListKind, generation: number, now: number): StatusListRecord => ({
  id: randomToken(12),
  kind,
  generation,
  bits: kind === 'bitstring' ? 1 : 2,
  size: kind === 'bitstring' ? BITSTRING_MIN_ENTRIES : DEFAULT_STATUS_LIST_SIZE,
  created_at: now,
});

/**
 * Reserves a random free index of the current list of the kind (TSL Sections 12.4, 13.3: unique,
 * never sequential), starting a new list when MAX_INDEX_PROBES probes all hit taken indexes.
 * Each reservation is one atomic insert, so racing nodes never share an index.
 */
export async function reserveStatusIndex(
  store: Repositories,
  kind: StatusListKind,
  sessionId: string,
  now: number,
): Promise<StatusReference> {
  let full: number | undefined;
  for (let attempt = 0; attempt < 2; attempt++) {
    let list = await store.statusLists.currentList(kind);
    if (!list || list.generation === full) {
      // Whoever starts the next generation first wins; the others read its list back.
      await store.statusLists.createList(newList(kind, list ? list.generation + 1 : 0, now));
      list = (await store.statusLists.currentList(kind))!;
    }
    full = list.generation;
    for (let probe = 0; probe < MAX_INDEX_PROBES; probe++) {
      const idx = randomIndex(list.size);
      if (await store.statusLists.reserve(list.id, idx, sessionId, now)) return { list_id: list.id, idx };
    }
  }
  throw new Error(`no free ${kind} status index after ${MAX_INDEX_PROBES} probes in a new list`);
}

/** The Token Status List as stored now: every entry not listed is VALID. */
export async function tokenStatusList(store: Repositories, list: StatusListRecord): Promise<TokenStatusList> {
  const statusList = new TokenStatusList({ bits: list.bits as 1 | 2 | 4 | 8, size: list.size });
  for (const { idx, status } of await store.statusLists.nonZeroEntries(list.id)) statusList.set(idx, status);
  return statusList;
}

/** The bitstring of one purpose: revocation has the bit of INVALID entries set, suspension that of SUSPENDED ones. */
export async function bitstringStatusList(
  store: Repositories,
  list: StatusListRecord,
  purpose: BitstringStatusPurpose,
): Promise<BitstringStatusList> {
  const bitstring = new BitstringStatusList({ size: list.size });
  const wanted = purpose === 'revocation' ? TokenStatus.INVALID : TokenStatus.SUSPENDED;
  for (const { idx, status } of await store.statusLists.nonZeroEntries(list.id)) if (status === wanted) bitstring.set(idx, true);
  return bitstring;
}
