// npm run bench -- [--wallets N] [--seconds S | --flows N]: load test of the pre-authorized flow, see HELP.
import { parseArgs } from 'node:util';
import { type CryptoCost, measureCryptoPerFlow } from './crypto.ts';
import { type LargeSession, measureLargeSession, type RenderTimes } from './large-session.ts';
import {
  type BenchEngine,
  type BenchServer,
  cpuTimeMs,
  peakRssKb,
  postgresCpuMs,
  rssKb,
  startServer,
  stopServer,
} from './server.ts';
import { FlowError, type Latencies, runFlow, STEPS } from './wallet.ts';

const HELP = `Usage: npm run bench -- [--wallets N] [--seconds S | --flows N] [--engine sqlite|postgres]

Starts the issuer on a free loopback port with a temporary SQLite file (or, with
--engine postgres, a schema of its own on the server of DATABASE_URL), runs N
concurrent simulated wallets through the whole pre-authorized flow (offer,
token with DPoP, nonce, credential with a jwt key proof) for S seconds or until
N flows completed, printing the server's RSS along the way. Then it builds one
session with many log entries and times its page and report, and finally
measures the crypto cost of one flow with the server's own functions, in this
process once the server is gone.

  --wallets N          concurrent wallets (default 32)
  --seconds S          measured duration (default 20)
  --flows N            run until N flows completed instead (e.g. 50000 for the RSS check)
  --session-entries N  log entries of the large session (default 5000; 0 skips it)
  --engine E           sqlite (default) or postgres; postgres also reports the database
                       server's CPU (every local process named postgres)
  --profile D          write a CPU profile of the server (node --cpu-prof) into directory D
  --help               this text

Exits non-zero when no flow completed, more than 1% of flows failed, or the
large session's page or report took 50 ms or more at the 95th percentile.`;

const CRYPTO_ITERATIONS = 500;
const MAX_PRINTED_FAILURES = 5;
const RENDER_SAMPLES = 40;
/** The issue's bound for a 5,000-entry session's page and report (p95). */
const RENDER_BUDGET_MS = 50;
const RSS_CHECKPOINTS = 10;

interface Options {
  wallets: number;
  seconds: number;
  flows?: number;
  sessionEntries: number;
  engine: BenchEngine;
  profile?: string;
}

function positiveInteger(name: string, value: string | undefined, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1))
    throw new Error(`--${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${value}`);
  return n;
}

function options(): Options | undefined {
  const { values } = parseArgs({
    options: {
      wallets: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '20' },
      flows: { type: 'string' },
      'session-entries': { type: 'string', default: '5000' },
      engine: { type: 'string', default: 'sqlite' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (values.engine !== 'sqlite' && values.engine !== 'postgres')
    throw new Error(`--engine must be sqlite or postgres, got ${values.engine}`);
  return {
    wallets: positiveInteger('wallets', values.wallets),
    seconds,
    ...(values.flows !== undefined ? { flows: positiveInteger('flows', values.flows) } : {}),
    sessionEntries: positiveInteger('session-entries', values['session-entries'], true),
    engine: values.engine,
    ...(values.profile ? { profile: values.profile } : {}),
  };
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (n: number, digits = 2) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

interface ServerStats {
  requests: number;
  transactions: number;
  statements: number;
  log_bytes: number;
}

async function serverStats(server: BenchServer): Promise<ServerStats> {
  return ((await (await fetch(`${server.baseUrl}/healthz?stats`)).json()) as { stats: ServerStats }).stats;
}

interface RssCheckpoint {
  flows: number;
  rssKb: number;
}

async function load(server: BenchServer, opts: Options) {
  const latencies = Object.fromEntries(STEPS.map((s) => [s, []])) as unknown as Latencies;
  let completed = 0;
  let startedFlows = 0;
  let failures = 0;
  let sample: string | undefined;
  const deadline = Date.now() + opts.seconds * 1000;
  const more = () => (opts.flows !== undefined ? startedFlows < opts.flows : Date.now() < deadline);
  const rss: RssCheckpoint[] = [{ flows: 0, rssKb: rssKb(server.pid) }];
  const checkpointEvery = opts.flows !== undefined ? Math.max(1, Math.floor(opts.flows / RSS_CHECKPOINTS)) : Infinity;

  const wallet = async () => {
    // A flow started before the deadline runs to its end (every request has a timeout), so it is counted.
    while (more() && server.child.exitCode === null) {
      startedFlows++;
      try {
        const credential = await runFlow(server.baseUrl, latencies);
        sample ??= credential;
        completed++;
        if (completed % checkpointEvery === 0) rss.push({ flows: completed, rssKb: rssKb(server.pid) });
      } catch (error) {
        failures++;
        if (failures <= MAX_PRINTED_FAILURES) {
          console.error(`failure ${failures}: ${error instanceof FlowError ? error.message : String(error)}`);
        }
      }
    }
  };

  let peakKb = peakRssKb(server.pid);
  const poll = setInterval(() => (peakKb = Math.max(peakKb, peakRssKb(server.pid))), 250);
  const statsBefore = await serverStats(server);
  const cpuBefore = cpuTimeMs(server.pid);
  const databaseBefore = server.engine === 'postgres' ? postgresCpuMs() : 0;
  const ownBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: opts.wallets }, wallet));
  const elapsedMs = performance.now() - started;
  const serverCpuMs = cpuTimeMs(server.pid) - cpuBefore;
  const statsAfter = await serverStats(server);
  const work = {
    // The two /healthz requests of the measurement itself are not the flows'.
    requests: statsAfter.requests - statsBefore.requests - 1,
    transactions: statsAfter.transactions - statsBefore.transactions,
    statements: statsAfter.statements - statsBefore.statements - 2,
    logBytes: statsAfter.log_bytes - statsBefore.log_bytes,
  };
  const databaseCpuMs = server.engine === 'postgres' ? postgresCpuMs() - databaseBefore : null;
  const own = process.cpuUsage(ownBefore);
  clearInterval(poll);
  peakKb = Math.max(peakKb, peakRssKb(server.pid));

  if (rss.at(-1)!.flows !== completed) rss.push({ flows: completed, rssKb: rssKb(server.pid) });
  return {
    engine: server.engine,
    work,
    latencies,
    completed,
    failures,
    sample,
    elapsedMs,
    serverCpuMs,
    databaseCpuMs,
    loadgenCpuMs: (own.user + own.system) / 1000,
    peakKb,
    rss,
  };
}

function report(
  opts: Options,
  r: Awaited<ReturnType<typeof load>>,
  large: LargeSession | undefined,
  crypto: CryptoCost | undefined,
): boolean {
  const { wallets } = opts;
  const attempted = r.completed + r.failures;
  const failureRate = attempted > 0 ? r.failures / attempted : 0;
  const flowsPerS = r.completed / (r.elapsedMs / 1000);
  const serverCpuPerFlow = r.completed > 0 ? r.serverCpuMs / r.completed : NaN;
  const ratio = crypto ? serverCpuPerFlow / crypto.cpuMsPerFlow : NaN;
  const latency = Object.fromEntries(
    STEPS.map((s) => [
      s,
      { p50: round(percentile(r.latencies[s], 50)), p99: round(percentile(r.latencies[s], 99)), n: r.latencies[s].length },
    ]),
  );
  const pad = (label: string) => label.padEnd(26);

  console.log(`\n${pad('engine')}${r.engine}`);
  const planned = opts.flows !== undefined ? `${opts.flows} flows` : `${opts.seconds} s`;
  console.log(`${pad('wallets / duration')}${wallets} wallets, ${planned} (window ${(r.elapsedMs / 1000).toFixed(2)} s)`);
  console.log(`${pad('completed flows')}${r.completed}`);
  console.log(`${pad('flows per second')}${flowsPerS.toFixed(1)}`);
  console.log(`${pad('failures')}${r.failures} (${(failureRate * 100).toFixed(2)} %)`);
  console.log(`${pad('latency ms')}${'p50'.padStart(9)}${'p99'.padStart(9)}${'n'.padStart(8)}`);
  for (const s of STEPS) {
    const l = latency[s]!;
    console.log(`${pad(`  ${s}`)}${String(l.p50).padStart(9)}${String(l.p99).padStart(9)}${String(l.n).padStart(8)}`);
  }
  const perFlow = (n: number) => (r.completed > 0 ? n / r.completed : NaN);
  console.log(
    `${pad('log data per flow')}${(perFlow(r.work.logBytes) / 1024).toFixed(2)} KiB (${r.work.logBytes} bytes of log records)`,
  );
  console.log(`${pad('requests per flow')}${perFlow(r.work.requests).toFixed(2)}`);
  console.log(
    `${pad('transactions per request')}${(r.work.transactions / r.work.requests).toFixed(2)} (${(r.work.statements / r.work.requests).toFixed(1)} statements)`,
  );
  console.log(`${pad('server peak RSS')}${(r.peakKb / 1024).toFixed(1)} MiB`);
  if (r.rss.length > 2) {
    const series = r.rss.map((c) => `${c.flows}:${(c.rssKb / 1024).toFixed(0)}`).join(' ');
    console.log(`${pad('server RSS (flows:MiB)')}${series}`);
  }
  console.log(
    `${pad('server CPU per flow')}${serverCpuPerFlow.toFixed(2)} ms (${r.serverCpuMs.toFixed(0)} ms CPU, ${((r.serverCpuMs / r.elapsedMs) * 100).toFixed(0)} % of one core)`,
  );
  if (r.databaseCpuMs !== null && r.completed > 0) {
    console.log(
      `${pad('database CPU per flow')}${(r.databaseCpuMs / r.completed).toFixed(2)} ms (${r.databaseCpuMs.toFixed(0)} ms CPU in postgres processes)`,
    );
  }
  console.log(
    `${pad('load generator CPU')}${r.loadgenCpuMs.toFixed(0)} ms (${((r.loadgenCpuMs / r.elapsedMs) * 100).toFixed(0)} % of one core)`,
  );
  const renderOk = !large || [large.page, large.reportPage, large.reportApi].every((t) => t.p95 < RENDER_BUDGET_MS);
  if (large) {
    console.log(
      `${pad('large session')}${large.entries} log entries, built in ${large.buildSeconds.toFixed(1)} s; ms over ${RENDER_SAMPLES} requests:`,
    );
    const row = (label: string, t: RenderTimes) =>
      console.log(
        `${pad(`  ${label}`)}p50 ${t.p50.toFixed(1).padStart(6)}  p95 ${t.p95.toFixed(1).padStart(6)}  (${(t.bytes / 1024).toFixed(0)} KiB)`,
      );
    row('session page', large.page);
    row('report page', large.reportPage);
    row('report API', large.reportApi);
  }
  if (crypto) {
    console.log(
      `${pad('crypto CPU per flow')}${crypto.cpuMsPerFlow.toFixed(2)} ms (server's own functions, quiet process, ${crypto.iterations} iterations: 3 proofs imported, verified and thumbprinted, 1 ES256 sign, ${crypto.disclosures} disclosure hashes)`,
    );
    console.log(`${pad('server / crypto CPU')}${ratio.toFixed(2)}`);
  } else {
    console.log(`${pad('crypto CPU per flow')}n/a (no credential issued to size it)`);
  }
  const machine = {
    engine: r.engine,
    wallets,
    seconds: opts.flows !== undefined ? null : opts.seconds,
    flows: opts.flows ?? null,
    elapsed_s: round(r.elapsedMs / 1000),
    completed: r.completed,
    flows_per_s: round(flowsPerS),
    failures: r.failures,
    failure_rate: round(failureRate, 4),
    latency_ms: latency,
    server_peak_rss_mib: round(r.peakKb / 1024, 1),
    server_rss_mib: r.rss.map((c) => ({ flows: c.flows, mib: round(c.rssKb / 1024, 1) })),
    large_session: large
      ? {
          entries: large.entries,
          page_ms: { p50: round(large.page.p50), p95: round(large.page.p95) },
          report_page_ms: { p50: round(large.reportPage.p50), p95: round(large.reportPage.p95) },
          report_api_ms: { p50: round(large.reportApi.p50), p95: round(large.reportApi.p95) },
        }
      : null,
    server_cpu_ms_per_flow: round(serverCpuPerFlow),
    server_cpu_util: round(r.serverCpuMs / r.elapsedMs),
    log_bytes_per_flow: round(perFlow(r.work.logBytes), 0),
    transactions_per_request: round(r.work.transactions / r.work.requests),
    statements_per_request: round(r.work.statements / r.work.requests, 1),
    database_cpu_ms_per_flow: r.databaseCpuMs !== null && r.completed > 0 ? round(r.databaseCpuMs / r.completed) : null,
    loadgen_cpu_util: round(r.loadgenCpuMs / r.elapsedMs),
    crypto_cpu_ms_per_flow: crypto ? round(crypto.cpuMsPerFlow, 3) : null,
    server_to_crypto_cpu_ratio: round(ratio),
  };
  console.log(`BENCH ${JSON.stringify(machine)}`);
  if (!renderOk) console.error(`the large session's page or report took ${RENDER_BUDGET_MS} ms or more (p95)`);
  return r.completed > 0 && failureRate <= 0.01 && renderOk;
}

async function main(): Promise<number> {
  const opts = options();
  if (!opts) {
    console.log(HELP);
    return 0;
  }
  const server = await startServer(opts.engine, opts.profile);
  process.once('SIGINT', () => void stopServer(server).then(() => process.exit(130)));
  const planned = opts.flows !== undefined ? `until ${opts.flows} flows completed` : `for ${opts.seconds} s`;
  console.log(`server pid ${server.pid} at ${server.baseUrl} on ${opts.engine}; running ${opts.wallets} wallets ${planned}`);
  let result: Awaited<ReturnType<typeof load>>;
  let large: LargeSession | undefined;
  try {
    result = await load(server, opts);
    if (server.child.exitCode !== null) console.error(`server exited during the run with code ${server.child.exitCode}`);
    // After the load, so the session's page reads a database that already holds every flow's rows.
    if (opts.sessionEntries > 0 && server.child.exitCode === null) {
      console.log(`building a session of ${opts.sessionEntries} log entries`);
      large = await measureLargeSession(server.baseUrl, opts.sessionEntries, RENDER_SAMPLES);
    }
  } finally {
    await stopServer(server);
  }
  // Measured with the server gone, so nothing else competes for the cores.
  const crypto = result.sample ? measureCryptoPerFlow(result.sample, CRYPTO_ITERATIONS) : undefined;
  return report(opts, result, large, crypto) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
