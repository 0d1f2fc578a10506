// The JSON body scanner refuses deep nesting and long strings before JSON.parse, with a typed error.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_JSON_LIMITS, JsonBodyError, type JsonLimits, registerBoundedJson, scanJson } from '../../src/http/json-body.ts';
import { handleError } from '../../src/protocol/error-handler.ts';

const limits: JsonLimits = { maxDepth: 4, maxStringLength: 8 };
const nested = (open: string, close: string, depth: number, inner = '1') => open.repeat(depth) + inner + close.repeat(depth);
const objects = (depth: number) => `${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}`;

describe('scanJson', () => {
  const accepted: Array<[string, string]> = [
    ['a scalar', '42'],
    ['a string at the top', '"abc"'],
    ['literals and numbers', '{"a":true,"b":null,"c":-1.5e3,"d":[false]}'],
    ['empty containers', '{"a":{},"b":[],"c":""}'],
    ['whitespace around tokens', ' { "a" : [ 1 , 2 ] } '],
    ['arrays nested exactly at the limit', nested('[', ']', 4)],
    ['objects nested exactly at the limit', objects(4)],
    ['mixed nesting exactly at the limit', '{"a":[{"b":[]}]}'],
    ['a value exactly at the string limit', '{"a":"12345678"}'],
    ['a key exactly at the string limit', '{"12345678":1}'],
    ['escaped quotes count as one character', '{"a":"\\"\\"\\"\\"\\"\\"\\"\\""}'],
    ['escaped backslashes count as one character', '{"a":"\\\\\\\\\\\\\\\\"}'],
    ['a \\u escape counts as one character', '{"a":"1234567\\u00e9"}'],
    ['an escaped quote does not end the string', '{"a":"x\\"]}]}"}'],
    ['brackets inside strings are ignored', '{"a":"[[[[[[[[","b":"}}}"}'],
    ['a backslash before the closing quote', '{"a":"x\\\\"}'],
  ];
  for (const [name, text] of accepted) {
    it(`accepts ${name}`, () => {
      assert.equal(scanJson(text, limits), null);
      assert.doesNotThrow(() => JSON.parse(text));
    });
  }

  const refused: Array<[string, string, 'depth' | 'string' | 'syntax']> = [
    ['arrays one over the depth limit', nested('[', ']', 5), 'depth'],
    ['objects one over the depth limit', objects(5), 'depth'],
    ['mixed nesting one over the limit', '{"a":[{"b":[[]]}]}', 'depth'],
    ['a value one over the string limit', '{"a":"123456789"}', 'string'],
    ['a key one over the string limit', '{"123456789":1}', 'string'],
    ['escapes adding up to one over the limit', '{"a":"12345678\\n"}', 'string'],
    ['an unterminated string', '{"a":"abc}', 'syntax'],
    ['a string ending in a lone backslash', '{"a":"abc\\', 'syntax'],
    ['an invalid escape', '{"a":"\\x"}', 'syntax'],
    ['a short \\u escape', '{"a":"\\u12"}', 'syntax'],
    ['a mismatched closer', '{"a":[1}', 'syntax'],
    ['a closer without opener', '{"a":1}}', 'syntax'],
    ['an unclosed object', '{"a":{"b":1}', 'syntax'],
  ];
  for (const [name, text, code] of refused) {
    it(`refuses ${name} (${code})`, () => {
      const problem = scanJson(text, limits);
      assert.equal(problem?.code, code, problem?.detail);
    });
  }

  it('names the limit and the offset, never the content', () => {
    assert.deepEqual(scanJson('{"secret":"abcdefghijkl"}', limits), {
      code: 'string',
      detail: 'string longer than 8 characters starting at offset 10',
    });
    assert.deepEqual(scanJson(nested('[', ']', 5), limits), {
      code: 'depth',
      detail: 'nesting deeper than 4 levels at offset 4',
    });
  });

  it('refuses 10,000-deep input with the default limits, at the first bracket over the limit', () => {
    const problem = scanJson('['.repeat(10_000) + ']'.repeat(10_000));
    assert.deepEqual(problem, { code: 'depth', detail: 'nesting deeper than 32 levels at offset 32' });
  });

  it('refuses a megabyte string with the default limits', () => {
    assert.equal(scanJson(`{"a":"${'x'.repeat(1 << 20)}"}`)?.code, 'string');
  });
});

describe('registerBoundedJson', () => {
  function appWith(
    errorHandler: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => FastifyReply,
    bodyLimits = limits,
  ) {
    const app = Fastify();
    registerBoundedJson(app, bodyLimits);
    app.setErrorHandler(errorHandler);
    app.post('/echo', { config: { malformedBody: 'CRED-01.malformed' } }, async (request) => ({ received: request.body }));
    return app;
  }

  it('hands the typed error to the error handler and parses what passes', async () => {
    const seen: unknown[] = [];
    const app = appWith((error, _request, reply) => {
      seen.push(error);
      return reply.code(400).send({ code: error.code });
    });
    const deep = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: nested('[', ']', 5),
    });
    assert.equal(deep.statusCode, 400);
    assert.ok(seen[0] instanceof JsonBodyError);
    assert.equal(seen[0].code, 'depth');
    assert.equal(seen[0].statusCode, 400);

    const long = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/vnd.example+json; charset=utf-8' },
      payload: '{"a":"123456789"}',
    });
    assert.deepEqual(long.json(), { code: 'string' });

    const ok = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: '{"a":[1,{"b":"x"}]}',
    });
    assert.deepEqual(ok.json(), { received: { a: [1, { b: 'x' }] } });
    await app.close();
  });

  it('keeps refusing prototype poisoning and reports JSON.parse failures as syntax, without quoting the body', async () => {
    const seen: JsonBodyError[] = [];
    const app = appWith((error, _request, reply) => {
      if (error instanceof JsonBodyError) seen.push(error);
      return reply.code(400).send({});
    }, DEFAULT_JSON_LIMITS);
    for (const payload of ['{"__proto__":{"admin":true}}', '{"code":"s3cr3t",}', '']) {
      await app.inject({ method: 'POST', url: '/echo', headers: { 'content-type': 'application/json' }, payload });
    }
    assert.deepEqual(
      seen.map((error) => [error.code, error.detail]),
      [
        ['syntax', 'a "__proto__" or "constructor.prototype" key, which is refused'],
        ['syntax', 'not valid JSON at offset 17'],
        ['syntax', 'the body is empty'],
      ],
    );
    await app.close();
  });

  it("reaches today's error handler as the endpoint's own malformed-body error", async () => {
    const app = appWith(handleError);
    const response = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '['.repeat(10_000),
    });
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().error, 'invalid_credential_request');
    await app.close();
  });
});
