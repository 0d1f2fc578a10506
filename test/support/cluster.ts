// Several playground nodes as separate processes (src/server.ts, as production runs it) on one
// PostgreSQL schema, behind a round-robin proxy whose URL is everyone's PUBLIC_URL.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy.ts';
import { freePort, type TestDatabase, testDatabase, UNLIMITED } from './server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface ClusterNode {
  /** The node's own origin, bypassing the proxy. */
  origin: string;
  process: ChildProcess;
  output: string[];
}

export interface Cluster {
  /** PUBLIC_URL of every node: the proxy. */
  issuer: string;
  nodes: ClusterNode[];
  proxy: RoundRobinProxy;
  database: TestDatabase;
  close(): Promise<void>;
}

async function healthy(origin: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${origin} did not become healthy`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function startNode(port: number, env: Record<string, string>): ClusterNode {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { origin: `http://127.0.0.1:${port}`, process: child, output };
}

export async function startCluster(size = 2): Promise<Cluster> {
  const database = testDatabase();
  const proxyPort = await freePort();
  const issuer = `http://127.0.0.1:${proxyPort}`;
  const nodes: ClusterNode[] = [];
  for (let i = 0; i < size; i++) nodes.push(startNode(await freePort(), { ...UNLIMITED, ...database.env, PUBLIC_URL: issuer }));
  try {
    await Promise.all(nodes.map((node) => healthy(node.origin, 30_000)));
  } catch (error) {
    for (const node of nodes) node.process.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${nodes.flatMap((n) => n.output).join('')}`);
  }
  const proxy = await startRoundRobinProxy(
    proxyPort,
    nodes.map((n) => n.origin),
  );
  return {
    issuer,
    nodes,
    proxy,
    database,
    async close() {
      await proxy.close();
      await Promise.all(
        nodes.map((node) =>
          node.process.exitCode !== null || node.process.signalCode !== null
            ? undefined
            : new Promise<void>((resolve) => {
                node.process.once('exit', () => resolve());
                node.process.kill('SIGTERM');
              }),
        ),
      );
      await database.drop();
    },
  };
}
