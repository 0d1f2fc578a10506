// A session with thousands of log entries, built through the wallet endpoints, and how long its
// page, its report page and its report API take to answer.
import { type Latencies, obtainToken, requestCredential, STEPS } from './wallet.ts';

export interface RenderTimes {
  p50: number;
  p95: number;
  bytes: number;
}

export interface LargeSession {
  entries: number;
  buildSeconds: number;
  page: RenderTimes;
  reportPage: RenderTimes;
  reportApi: RenderTimes;
}

const BUILD_CONCURRENCY = 16;
/** One credential request in this many is refused (stale nonce), so the session has error entries and failed rules too. */
const REFUSED_EVERY = 5;
const WARMUP = 3;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function time(url: string, sessionToken: string, samples: number): Promise<RenderTimes> {
  const durations: number[] = [];
  let bytes = 0;
  for (let i = 0; i < WARMUP + samples; i++) {
    const started = performance.now();
    const res = await fetch(url, { headers: { authorization: `Bearer ${sessionToken}` } });
    const body = await res.arrayBuffer();
    const elapsed = performance.now() - started;
    if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
    if (i >= WARMUP) durations.push(elapsed);
    bytes = body.byteLength;
  }
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 50), p95: percentile(durations, 95), bytes };
}

/** Offer, token, then credential requests (every fifth refused) until the session holds `entries` log entries. */
export async function measureLargeSession(baseUrl: string, entries: number, samples: number): Promise<LargeSession> {
  const latencies = Object.fromEntries(STEPS.map((s) => [s, []])) as unknown as Latencies;
  const started = performance.now();
  const holder = await obtainToken(baseUrl, latencies);
  // The offer, its fetch and the token exchange are the session's first three entries; /nonce belongs to no session.
  let remaining = entries - 3;
  let sent = 0;
  await Promise.all(
    Array.from({ length: BUILD_CONCURRENCY }, async () => {
      while (remaining > 0) {
        remaining--;
        await requestCredential(baseUrl, holder, latencies, ++sent % REFUSED_EVERY === 0);
      }
    }),
  );
  const buildSeconds = (performance.now() - started) / 1000;
  const session = `${baseUrl}/sessions/${holder.sessionId}`;
  return {
    entries,
    buildSeconds,
    page: await time(session, holder.sessionToken, samples),
    reportPage: await time(`${session}/report`, holder.sessionToken, samples),
    reportApi: await time(`${baseUrl}/api/sessions/${holder.sessionId}/report`, holder.sessionToken, samples),
  };
}
