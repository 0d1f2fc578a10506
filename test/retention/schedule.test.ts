// The server's pruning schedule: it runs every PRUNE_INTERVAL_SECONDS, logs what it pruned, logs a
// failed run and carries on, and stops cleanly before the store closes.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { SessionOptions } from '../../src/domain/session.ts';
import { type PruneLog, schedulePruning } from '../../src/retention/schedule.ts';
import type { Store } from '../../src/store/index.ts';
import { scratchStore, TEST_ENGINE } from '../support/server.ts';

const OPTIONS: SessionOptions = {
  require_dpop: true,
  dpop_nonce: false,
  require_key_attestation: false,
  require_wallet_attestation: false,
  strict: false,
  claims: {},
  trust_anchors: [],
};
const SETTINGS = { hours: 1, unattributedLogMaxRows: 10, pruneIntervalSeconds: 1 };

/** A log that remembers its lines. */
function recordingLog() {
  const lines: Array<{ level: 'info' | 'error'; details: Record<string, unknown>; message: string }> = [];
  const log: PruneLog = {
    info: (details, message) => void lines.push({ level: 'info', details: details as Record<string, unknown>, message }),
    error: (details, message) => void lines.push({ level: 'error', details: details as Record<string, unknown>, message }),
  };
  return { lines, log };
}

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 20_000) throw new Error('gave up waiting');
    await sleep(50);
  }
}

describe(`pruning schedule (${TEST_ENGINE})`, () => {
  it('prunes on its interval with the injected clock and logs the counts of each run', async () => {
    const scratch = await scratchStore();
    try {
      await scratch.store.sessions.insert(
        {
          id: 'fresh-yesterday',
          status: 'offer_created',
          grant_type: 'g',
          credential_configuration_ids: ['x'],
          options: OPTIONS,
          created_at: Date.now(),
          updated_at: Date.now(),
        },
        null,
      );
      const { lines, log } = recordingLog();
      // The session is fresh by the real clock; the schedule's clock is a day ahead, past the hour of retention.
      const schedule = schedulePruning(scratch.store, SETTINGS, () => Date.now() + 24 * 3_600_000, log);
      await until(() => lines.length > 0);
      await schedule.stop();
      assert.equal(lines.length, 1, 'stop() ends the schedule');
      const [line] = lines;
      assert.deepEqual([line!.level, line!.message], ['info', 'pruned data past retention']);
      assert.deepEqual(line!.details.pruned, { sessions: 1, unattributedEntries: 0, expiredGrants: 0, expiredNonces: 0 });
      assert.equal(typeof line!.details.durationMs, 'number');
      assert.equal(await scratch.store.sessions.get('fresh-yesterday'), undefined);
    } finally {
      await scratch.close();
    }
  });

  it('logs a failed run and runs again at the next interval', async () => {
    const scratch = await scratchStore();
    try {
      const failing: Store = { ...scratch.store, transaction: () => Promise.reject(new Error('disk on fire')) };
      const { lines, log } = recordingLog();
      const schedule = schedulePruning(failing, SETTINGS, Date.now, log);
      await until(() => lines.length >= 2);
      await schedule.stop();
      for (const line of lines)
        assert.deepEqual(
          [line.level, line.message, (line.details.err as Error).message],
          ['error', 'pruning failed', 'disk on fire'],
        );
    } finally {
      await scratch.close();
    }
  });

  it('stop() ends a run in progress between two batches and waits for it', async () => {
    let batches = 0;
    let compacted = false;
    let stopping: Promise<void> | undefined;
    const { lines, log } = recordingLog();
    // A store whose every batch is full, so a run would go on for its whole budget.
    const endless = {
      transaction: async () => {
        batches++;
        stopping ??= schedule.stop();
        return 1_000_000;
      },
      compact: async () => void (compacted = true),
    } as unknown as Store;
    const schedule = schedulePruning(endless, SETTINGS, Date.now, log);
    await until(() => stopping !== undefined);
    await stopping;
    assert.equal(batches, 1);
    assert.equal(compacted, false);
    assert.equal(lines.length, 1);
  });

  it('the interval timer does not keep the process alive', { timeout: 60_000 }, async () => {
    // A process that schedules pruning every second and keeps itself alive for 3 s: it must exit
    // then, without stop(), having pruned meanwhile (a referenced timer, re-armed after each run, would keep it forever).
    const script = `
      import { schedulePruning } from './src/retention/schedule.ts';
      const started = Date.now();
      let runs = 0;
      const store = { transaction: async () => 0, compact: async () => {} };
      schedulePruning(store, { hours: 1, unattributedLogMaxRows: 10, pruneIntervalSeconds: 1 }, Date.now, {
        info: () => void runs++,
        error: (details) => console.error(details.err),
      });
      setTimeout(() => {}, 3_000);
      process.on('exit', () => console.log(JSON.stringify({ runs, ms: Date.now() - started })));
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
    const { runs, ms } = JSON.parse(stdout) as { runs: number; ms: number };
    assert.ok(runs >= 2, stdout);
    assert.ok(ms < 10_000, `exited after ${ms} ms`);
  });
});
