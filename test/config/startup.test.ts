// Starting src/server.ts as an operator does: a taken port and a bad configuration are told in plain
// sentences (every configuration problem at once), and the process exits 1 without a stack trace.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

const root = join(import.meta.dirname, '..', '..');

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('starting the server', () => {
  it('says so plainly when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    const dir = mkdtempSync(join(tmpdir(), 'oid4vci-startup-'));
    try {
      const { code, stderr } = await start({ PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'playground.db') });
      assert.equal(code, 1);
      assert.match(stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use[\\s\\S]*PORT=<free port>`));
      assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    } finally {
      blocker.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lists every configuration problem at once, PUBLIC_URL among them', async () => {
    const { code, stderr } = await start({
      PORT: 'eighty',
      PUBLIC_URL: 'ftp://example.org/?x=1',
      ADMIN_TOKEN: 'short',
      OFFER_CREATION: 'sometimes',
    });
    assert.equal(code, 1);
    for (const name of ['PORT', 'PUBLIC_URL', 'ADMIN_TOKEN', 'OFFER_CREATION']) assert.match(stderr, new RegExp(`- ${name}:`));
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
});
