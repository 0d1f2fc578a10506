// Retention (README "Retention"): sessions idle for the retention period go with everything that
// belongs to them, and so do old unattributed log entries, those beyond the stream's row cap, and
// expired single-use values. Rows go in small batches, each its own transaction, so a prune never
// holds the SQLite write lock long enough for a wallet to notice.
import { setImmediate } from 'node:timers/promises';
import type { Repositories, Store } from '../store/index.ts';

export interface BatchSizes {
  sessions: number;
  /** Log entries, codes, tokens, nonces and jtis. */
  rows: number;
}

const DEFAULT_BATCH: BatchSizes = { sessions: 100, rows: 1000 };
/** Batches of each kind in one run; what is left waits for the next run. */
const DEFAULT_BATCHES_PER_RUN = 50;

export interface PruneOptions {
  now: number;
  retentionMs: number;
  /** How many of the newest unattributed log entries to keep at most. */
  unattributedMaxRows: number;
  batch?: BatchSizes;
  batchesPerRun?: number;
  /** Asked before every batch: once it answers true (the server is shutting down) the run ends early. */
  stopping?: () => boolean;
}

export interface PruneCounts {
  /** Sessions idle for the retention period, deleted with all their rows. */
  sessions: number;
  /** Unattributed log entries older than the retention period or beyond the row cap. */
  unattributedEntries: number;
  /** Pre-authorized codes and access tokens that expired a retention period ago, of sessions still active. */
  expiredGrants: number;
  /** c_nonces, DPoP nonces, attestation challenges, DPoP and client attestation PoP jtis past their expiry. */
  expiredNonces: number;
}

/** Repeats a batch, each in its own transaction, until one deletes less than `size` or `budget` batches ran. */
async function inBatches(
  store: Store,
  size: number,
  budget: number,
  stopping: () => boolean,
  batch: (tx: Repositories) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (let n = 0; n < budget && !stopping(); n++) {
    const deleted = await store.transaction(batch);
    total += deleted;
    if (deleted < size) break;
    // Requests that arrived meanwhile are read before the next batch takes the connection.
    await setImmediate();
  }
  return total;
}

export async function pruneOnce(store: Store, options: PruneOptions): Promise<PruneCounts> {
  const {
    now,
    unattributedMaxRows,
    batch = DEFAULT_BATCH,
    batchesPerRun = DEFAULT_BATCHES_PER_RUN,
    stopping = () => false,
  } = options;
  const cutoff = now - options.retentionMs;
  const { sessions, rows } = batch;
  const inRowBatches = (deleteBatch: (tx: Repositories) => Promise<number>) =>
    inBatches(store, rows, batchesPerRun, stopping, deleteBatch);
  const counts: PruneCounts = {
    sessions: await inBatches(store, sessions, batchesPerRun, stopping, (tx) =>
      tx.retention.deleteIdleSessions(cutoff, sessions),
    ),
    unattributedEntries:
      (await inRowBatches((tx) => tx.retention.deleteUnattributedBefore(cutoff, rows))) +
      (await inRowBatches((tx) => tx.retention.deleteUnattributedBeyond(unattributedMaxRows, rows))),
    expiredGrants: await inRowBatches((tx) => tx.retention.deleteGrantsExpiredBefore(cutoff, rows)),
    expiredNonces: await inRowBatches(
      async (tx) => (await tx.nonces.purgeExpired(now, rows)) + (await tx.anchors.purgeExpiredPopJtis(now, rows)),
    ),
  };
  // Cheap when nothing is free (one PRAGMA), and it also finishes what an interrupted run left.
  if (!stopping()) await store.compact();
  return counts;
}
