// The issuer under test as a child process, plus what /proc tells about it.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export type BenchEngine = 'sqlite' | 'postgres';

const UNLIMITED_RATES = { RATE_LIMIT_WALLET: '1000000', RATE_LIMIT_OFFERS: '1000000', RATE_LIMIT_MANAGEMENT: '1000000' };

export interface BenchServer {
  baseUrl: string;
  pid: number;
  child: ChildProcess;
  tmpDir: string;
  engine: BenchEngine;
  /** The PostgreSQL schema the run used, dropped afterwards. */
  schema?: string;
}

/** A temporary SQLite file, or a schema of its own on the server of DATABASE_URL. */
function databaseEnv(engine: BenchEngine, tmpDir: string): { env: Record<string, string>; schema?: string } {
  if (engine === 'sqlite') return { env: { DATABASE_PATH: join(tmpDir, 'bench.db') } };
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('--engine postgres needs DATABASE_URL, e.g. postgres://playground:secret@127.0.0.1:5432/playground');
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  return { env: { DATABASE_URL: url, DATABASE_SCHEMA: schema }, schema };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function startServer(engine: BenchEngine, profileDir?: string): Promise<BenchServer> {
  const port = await freePort();
  const tmpDir = mkdtempSync(join(tmpdir(), 'oid4vci-bench-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  const database = databaseEnv(engine, tmpDir);
  const profiling = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...profiling, '--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    // One address sends every flow: the per-address rate limits would measure themselves.
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseUrl,
      LOG_LEVEL: 'warn',
      ...UNLIMITED_RATES,
      ...database.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.on('data', (chunk: Buffer) => process.stderr.write(chunk.toString().replace(/^(?=.)/gm, '[server] ')));
  }
  if (child.pid === undefined) throw new Error('server did not start');
  const server: BenchServer = {
    baseUrl,
    pid: child.pid,
    child,
    tmpDir,
    engine,
    ...(database.schema ? { schema: database.schema } : {}),
  };
  try {
    await waitHealthy(server, 30_000);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  return server;
}

async function waitHealthy(server: BenchServer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`server exited with code ${server.child.exitCode} before it was healthy`);
    try {
      const res = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (res.ok && ((await res.json()) as { status?: unknown }).status === 'ok') return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server not healthy after ${timeoutMs} ms`);
}

export async function stopServer(server: BenchServer): Promise<void> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
  rmSync(server.tmpDir, { recursive: true, force: true });
  if (server.schema) {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${server.schema}" CASCADE`);
    await client.end();
  }
}

/** utime + stime of every process named postgres on this machine (the server and its backends), in ms. */
export function postgresCpuMs(): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === 'postgres') total += cpuTimeMs(Number(pid));
    } catch {
      // the process ended while we looked
    }
  }
  return total;
}

/** utime + stime of the whole process (all threads), in milliseconds. */
export function cpuTimeMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces; fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}

/** Resident set now, in KiB (0 once the process is gone). */
export function rssKb(pid: number): number {
  try {
    const value = /^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return value ? Number(value[1]) : 0;
  } catch {
    return 0;
  }
}

/** Peak resident set so far (VmHWM, falling back to VmRSS), in KiB. */
export function peakRssKb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const value = /^VmHWM:\s+(\d+)/m.exec(status) ?? /^VmRSS:\s+(\d+)/m.exec(status);
    return value ? Number(value[1]) : 0;
  } catch {
    return 0; // the process is gone
  }
}
