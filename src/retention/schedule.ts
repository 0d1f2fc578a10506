import type { Config } from '../config.ts';
import type { Store } from '../store/index.ts';
import { pruneOnce } from './prune.ts';

const HOUR_MS = 60 * 60 * 1000;

/** Where a run reports (the server's logger). */
export interface PruneLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface PruneSchedule {
  /** Waits for a run in progress, so the store can be closed after it. */
  stop(): Promise<void>;
}

/**
 * Prunes every PRUNE_INTERVAL_SECONDS, timed from the end of the previous run so runs never
 * overlap on this node (every node of a cluster prunes; their batches at worst find rows the other
 * already deleted). Every run logs its counts
 * at info; a failed run is logged as an error, never thrown, and the next one runs as planned. The
 * timer is unref'd: pruning alone never keeps the process alive. `now` is the server's clock, so
 * tests can age data without waiting.
 */
export function schedulePruning(store: Store, settings: Config['retention'], now: () => number, log: PruneLog): PruneSchedule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = async () => {
    const started = performance.now();
    try {
      const counts = await pruneOnce(store, {
        now: now(),
        retentionMs: settings.hours * HOUR_MS,
        unattributedMaxRows: settings.unattributedLogMaxRows,
        // stop() ends a run between two batches, so shutting down never waits for a whole backlog.
        stopping: () => stopped,
      });
      log.info({ pruned: counts, durationMs: Math.round(performance.now() - started) }, 'pruned data past retention');
    } catch (error) {
      log.error({ err: error }, 'pruning failed');
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = run().then(next);
    }, settings.pruneIntervalSeconds * 1000);
    // Pruning alone never keeps the process alive.
    timer.unref();
  };
  next();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
