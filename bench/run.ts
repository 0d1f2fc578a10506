// npm run bench -- [--wallets N] [--seconds S]: load test of the pre-authorized flow, see HELP.
import { parseArgs } from 'node:util';
import { measureCryptoPerFlow, type CryptoCost } from './crypto.ts';
import { cpuTimeMs, peakRssKb, postgresCpuMs, startServer, stopServer, type BenchEngine, type BenchServer } from './server.ts';
import { FlowError, runFlow, STEPS, type Latencies } from './wallet.ts';

const HELP = `Usage: npm run bench -- [--wallets N] [--seconds S] [--engine sqlite|postgres]

Starts the issuer on a free loopback port with a temporary SQLite file (or, with
--engine postgres, a schema of its own on the server of DATABASE_URL), runs N
concurrent simulated wallets through the whole pre-authorized flow (offer,
token with DPoP, nonce, credential with a jwt key proof) for S seconds, then
measures the server-side crypto cost of one flow in this process.

  --wallets N   concurrent wallets (default 32)
  --seconds S   measured duration (default 20)
  --engine E    sqlite (default) or postgres; postgres also reports the database
                server's CPU (every local process named postgres)
  --profile D   write a CPU profile of the server (node --cpu-prof) into directory D
  --help        this text

Exits non-zero when no flow completed or more than 1% of flows failed.`;

const CRYPTO_ITERATIONS = 200;
const MAX_PRINTED_FAILURES = 5;

function options(): { wallets: number; seconds: number; engine: BenchEngine; profile?: string } | undefined {
  const { values } = parseArgs({
    options: {
      wallets: { type: 'string', default: '32' },
      seconds: { type: 'string', default: '20' },
      engine: { type: 'string', default: 'sqlite' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return undefined;
  const wallets = Number(values.wallets);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(wallets) || wallets < 1) throw new Error(`--wallets must be a positive integer, got ${values.wallets}`);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds must be a positive number, got ${values.seconds}`);
  if (values.engine !== 'sqlite' && values.engine !== 'postgres') throw new Error(`--engine must be sqlite or postgres, got ${values.engine}`);
  return { wallets, seconds, engine: values.engine, ...(values.profile ? { profile: values.profile } : {}) };
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

async function load(server: BenchServer, wallets: number, seconds: number) {
  const latencies = Object.fromEntries(STEPS.map((s) => [s, []])) as unknown as Latencies;
  let completed = 0;
  let failures = 0;
  let sample: string | undefined;
  const deadline = Date.now() + seconds * 1000;

  const wallet = async () => {
    // A flow started before the deadline runs to its end (every request has a timeout), so it is counted.
    while (Date.now() < deadline && server.child.exitCode === null) {
      try {
        const credential = await runFlow(server.baseUrl, latencies);
        sample ??= credential;
        completed++;
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
  await Promise.all(Array.from({ length: wallets }, wallet));
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

  return { engine: server.engine, work, latencies, completed, failures, sample, elapsedMs, serverCpuMs, databaseCpuMs, loadgenCpuMs: (own.user + own.system) / 1000, peakKb };
}

function report(wallets: number, seconds: number, r: Awaited<ReturnType<typeof load>>, crypto: CryptoCost | undefined): boolean {
  const attempted = r.completed + r.failures;
  const failureRate = attempted > 0 ? r.failures / attempted : 0;
  const flowsPerS = r.completed / (r.elapsedMs / 1000);
  const serverCpuPerFlow = r.completed > 0 ? r.serverCpuMs / r.completed : NaN;
  const ratio = crypto ? serverCpuPerFlow / crypto.cpuMsPerFlow : NaN;
  const latency = Object.fromEntries(
    STEPS.map((s) => [s, { p50: round(percentile(r.latencies[s], 50)), p99: round(percentile(r.latencies[s], 99)), n: r.latencies[s].length }]),
  );
  const pad = (label: string) => label.padEnd(26);

  console.log(`\n${pad('engine')}${r.engine}`);
  console.log(`${pad('wallets / duration')}${wallets} wallets, ${seconds} s (window ${(r.elapsedMs / 1000).toFixed(2)} s)`);
  console.log(`${pad('completed flows')}${r.completed}`);
  console.log(`${pad('flows per second')}${flowsPerS.toFixed(1)}`);
  console.log(`${pad('failures')}${r.failures} (${(failureRate * 100).toFixed(2)} %)`);
  console.log(`${pad('latency ms')}${'p50'.padStart(9)}${'p99'.padStart(9)}${'n'.padStart(8)}`);
  for (const s of STEPS) {
    const l = latency[s]!;
    console.log(`${pad(`  ${s}`)}${String(l.p50).padStart(9)}${String(l.p99).padStart(9)}${String(l.n).padStart(8)}`);
  }
  const perFlow = (n: number) => (r.completed > 0 ? n / r.completed : NaN);
  console.log(`${pad('log data per flow')}${(perFlow(r.work.logBytes) / 1024).toFixed(2)} KiB (${r.work.logBytes} bytes of log records)`);
  console.log(`${pad('requests per flow')}${perFlow(r.work.requests).toFixed(2)}`);
  console.log(`${pad('transactions per request')}${(r.work.transactions / r.work.requests).toFixed(2)} (${(r.work.statements / r.work.requests).toFixed(1)} statements)`);
  console.log(`${pad('server peak RSS')}${(r.peakKb / 1024).toFixed(1)} MiB`);
  console.log(`${pad('server CPU per flow')}${serverCpuPerFlow.toFixed(2)} ms (${r.serverCpuMs.toFixed(0)} ms CPU, ${((r.serverCpuMs / r.elapsedMs) * 100).toFixed(0)} % of one core)`);
  if (r.databaseCpuMs !== null && r.completed > 0) {
    console.log(`${pad('database CPU per flow')}${(r.databaseCpuMs / r.completed).toFixed(2)} ms (${r.databaseCpuMs.toFixed(0)} ms CPU in postgres processes)`);
  }
  console.log(`${pad('load generator CPU')}${r.loadgenCpuMs.toFixed(0)} ms (${((r.loadgenCpuMs / r.elapsedMs) * 100).toFixed(0)} % of one core)`);
  if (crypto) {
    console.log(`${pad('crypto CPU per flow')}${crypto.cpuMsPerFlow.toFixed(2)} ms (${crypto.iterations} iterations, 3 verifies, 3 thumbprints, 1 sign, ${crypto.disclosures} disclosure hashes)`);
    console.log(`${pad('server / crypto CPU')}${ratio.toFixed(2)}`);
  } else {
    console.log(`${pad('crypto CPU per flow')}n/a (no credential issued to size it)`);
  }
  const machine = {
    engine: r.engine,
    wallets,
    seconds,
    elapsed_s: round(r.elapsedMs / 1000),
    completed: r.completed,
    flows_per_s: round(flowsPerS),
    failures: r.failures,
    failure_rate: round(failureRate, 4),
    latency_ms: latency,
    server_peak_rss_mib: round(r.peakKb / 1024, 1),
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
  return r.completed > 0 && failureRate <= 0.01;
}

async function main(): Promise<number> {
  const opts = options();
  if (!opts) {
    console.log(HELP);
    return 0;
  }
  const server = await startServer(opts.engine, opts.profile);
  process.once('SIGINT', () => void stopServer(server).then(() => process.exit(130)));
  console.log(`server pid ${server.pid} at ${server.baseUrl} on ${opts.engine}; running ${opts.wallets} wallets for ${opts.seconds} s`);
  let result: Awaited<ReturnType<typeof load>>;
  try {
    result = await load(server, opts.wallets, opts.seconds);
    if (server.child.exitCode !== null) console.error(`server exited during the run with code ${server.child.exitCode}`);
  } finally {
    await stopServer(server);
  }
  // Measured with the server gone, so nothing else competes for the cores.
  const crypto = result.sample ? await measureCryptoPerFlow(result.sample, CRYPTO_ITERATIONS) : undefined;
  return report(opts.wallets, opts.seconds, result, crypto) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
