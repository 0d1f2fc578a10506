// The README's test command: lint and format check, type-check, then the whole suite on the embedded SQLite engine, and
// again on PostgreSQL when DATABASE_URL names a server (both engines must pass the same tests).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const run = (command: string, args: string[], env: NodeJS.ProcessEnv = {}): boolean =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;

const files = readdirSync(join(root, 'test'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((dir) =>
    readdirSync(join(root, 'test', dir.name))
      .filter((name) => name.endsWith('.test.ts'))
      .map((name) => join('test', dir.name, name)),
  )
  .sort();

const engines = process.env.DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
if (!process.env.DATABASE_URL)
  console.log('DATABASE_URL is not set: running the suite on SQLite only (set it to a PostgreSQL server to run both engines).');

const results: string[] = [];
// Biome: lint rules and the one code format (biome.json); `npx biome check --write` fixes most of what it finds.
let ok = run(process.execPath, [join(root, 'node_modules/@biomejs/biome/bin/biome'), 'ci', '--reporter=summary']);
results.push(`lint and format: ${ok ? 'ok' : 'FAILED'}`);
const typed = run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit']);
results.push(`type check: ${typed ? 'ok' : 'FAILED'}`);
ok &&= typed;
for (const engine of engines) {
  console.log(`\n=== test suite on ${engine} ===`);
  const passed = run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], { TEST_ENGINE: engine });
  results.push(`suite on ${engine}: ${passed ? 'ok' : 'FAILED'}`);
  ok &&= passed;
}
console.log(`\n${results.join('\n')}`);
process.exit(ok ? 0 : 1);
