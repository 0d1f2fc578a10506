// Static files over a real socket (inject would normalise the dot segments away before routing):
// encoded traversal and other non-canonical paths answer 404 like any unknown path, never 500.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { ProtocolError } from '../../src/diagnostics/index.ts';
import { registerStaticFiles } from '../../src/http/static-files.ts';
import { handleError } from '../../src/protocol/error-handler.ts';

const publicDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'public');

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Sends the path byte for byte, as a client on the internet can. */
function raw(origin: URL, method: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: origin.hostname, port: origin.port, method, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('registerStaticFiles', () => {
  let app: FastifyInstance;
  let origin: URL;

  before(async () => {
    // The parts of src/app.ts that decide how a static request ends: its error and not-found handlers.
    app = Fastify();
    app.setErrorHandler(handleError);
    app.setNotFoundHandler({}, async () => {
      throw new ProtocolError('HTTP.not_found');
    });
    await registerStaticFiles(app, { root: publicDir, prefix: '/tenant/static/' });
    origin = new URL(await app.listen({ port: 0, host: '127.0.0.1' }));
  });
  after(() => app.close());

  it('serves a file with its type and cache lifetime', async () => {
    const response = await raw(origin, 'GET', '/tenant/static/style.css');
    assert.equal(response.status, 200);
    assert.match(String(response.headers['content-type']), /^text\/css/);
    assert.equal(response.headers['cache-control'], 'public, max-age=3600');
    assert.ok(response.body.length > 0);
  });

  it('answers HEAD with the headers and no body', async () => {
    const get = await raw(origin, 'GET', '/tenant/static/style.css');
    const head = await raw(origin, 'HEAD', '/tenant/static/style.css');
    assert.equal(head.status, 200);
    assert.equal(head.body, '');
    assert.equal(head.headers['content-length'], String(Buffer.byteLength(get.body)));
  });

  it('answers a missing file with the usual 404', async () => {
    const response = await raw(origin, 'GET', '/tenant/static/missing.css');
    assert.equal(response.status, 404);
    assert.equal(JSON.parse(response.body).error, 'not_found');
  });

  it('answers an unsatisfiable range with 416 and Content-Range, a failed precondition with 412', async () => {
    const range = await raw(origin, 'GET', '/tenant/static/style.css', { range: 'bytes=99999999-' });
    assert.equal(range.status, 416);
    assert.match(String(range.headers['content-range']), /^bytes \*\/\d+$/);
    const precondition = await raw(origin, 'GET', '/tenant/static/style.css', { 'if-match': '"other"' });
    assert.equal(precondition.status, 412);
  });

  it('leaves a malformed percent-encoding to the router (400), which never reaches the file system', async () => {
    assert.equal((await raw(origin, 'GET', '/tenant/static/%c0%ae%c0%ae/package.json')).status, 400);
  });

  const refused = [
    '/tenant/static/%2e%2e/package.json',
    '/tenant/static/%2E%2E/%2E%2E/package.json',
    '/tenant/static/.%2e/package.json',
    '/tenant/static/%2e./package.json',
    '/tenant/static/../package.json',
    '/tenant/static/..%2fpackage.json',
    '/tenant/static/%2e%2e%2fpackage.json',
    '/tenant/static/..%5cpackage.json',
    '/tenant/static/..\\package.json',
    '/tenant/static/%2fetc%2fpasswd',
    '/tenant/static//etc/passwd',
    '/tenant/static/./style.css',
    '/tenant/static/.',
    '/tenant/static/%2e',
    '/tenant/static/%2e%2e',
    '/tenant/static/style.css%00',
    '/tenant/static/a%00b',
    `/tenant/static/${'a'.repeat(300)}`,
  ];
  for (const path of refused) {
    for (const method of ['GET', 'HEAD']) {
      it(`${method} ${path} is a 404`, async () => {
        const response = await raw(origin, method, path);
        assert.equal(response.status, 404, response.body);
        assert.doesNotMatch(response.body, /"name"\s*:\s*"oid4vci/);
      });
    }
  }
});
