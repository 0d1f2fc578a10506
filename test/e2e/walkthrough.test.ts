// The README's walk-through script runs against a real server: offer, token and credential, each
// step answered as the script expects, and the session it made ends as credential_issued.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

const root = join(import.meta.dirname, '..', '..');

describe('scripts/walkthrough.ts', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());

  it('gets a token and a credential from a running server, step by step', async () => {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/walkthrough.ts', server.issuer], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
      child.on('exit', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    assert.equal(code, 0, stderr);
    for (const step of [
      '1. offer created: HTTP 201',
      '2. offer fetched: HTTP 200',
      '3. access token: HTTP 200',
      '4. c_nonce: HTTP 200',
      '5. credential: HTTP 200',
    ]) {
      assert.ok(stdout.includes(step), `${step} in\n${stdout}`);
    }
    assert.match(stdout, /SD-JWT VC \(\d+ disclosures\)/);
    const sessionId = /sessions\/([^/?\s]+)\?session_token=/.exec(stdout)?.[1];
    assert.ok(sessionId);
    assert.equal((await server.store.sessions.get(sessionId))?.status, 'credential_issued');
  });
});
