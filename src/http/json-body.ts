// JSON bodies are scanned once before JSON.parse, so a body nested 10,000 deep or carrying a
// megabyte-long string is refused after a few bytes of work instead of being parsed and walked.
import type { FastifyInstance, FastifyRequest } from 'fastify';

export interface JsonLimits {
  /** Objects and arrays nested deeper than this are refused; `{}` and `[]` are depth 1. */
  readonly maxDepth: number;
  /** Longest string, key or value, in characters after unescaping (`\"` counts as one). */
  readonly maxStringLength: number;
}

export const DEFAULT_JSON_LIMITS: JsonLimits = { maxDepth: 32, maxStringLength: 16 * 1024 };

export type JsonProblemCode = 'depth' | 'string' | 'syntax';

export interface JsonProblem {
  code: JsonProblemCode;
  /** Names the limit and the offset; never quotes the body, which may carry secrets. */
  detail: string;
}

/** What the content-type parser hands to the error handler; statusCode 400 marks it as the client's fault. */
export class JsonBodyError extends Error {
  readonly code: JsonProblemCode;
  readonly detail: string;
  readonly statusCode = 400;

  constructor(problem: JsonProblem) {
    super(`JSON body refused: ${problem.detail}`);
    this.name = 'JsonBodyError';
    this.code = problem.code;
    this.detail = problem.detail;
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SIMPLE_ESCAPES = new Set([...'"\\/bfnrt'].map((c) => c.charCodeAt(0)));
const HEX4 = /^[0-9a-fA-F]{4}$/;

/** One iterative pass: depth and string lengths, plus the bracket and string structure they depend on. */
export function scanJson(text: string, limits: JsonLimits = DEFAULT_JSON_LIMITS): JsonProblem | null {
  const expectedClosers: number[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(text, i, limits.maxStringLength);
      if (typeof end !== 'number') return end;
      i = end;
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (expectedClosers.length === limits.maxDepth) {
        return { code: 'depth', detail: `nesting deeper than ${limits.maxDepth} levels at offset ${i}` };
      }
      expectedClosers.push(c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY);
    } else if ((c === CLOSE_OBJECT || c === CLOSE_ARRAY) && expectedClosers.pop() !== c) {
      return { code: 'syntax', detail: `unexpected '${String.fromCharCode(c)}' at offset ${i}` };
    }
    i++;
  }
  if (expectedClosers.length > 0)
    return { code: 'syntax', detail: `${expectedClosers.length} unclosed object(s) or array(s) at the end of the body` };
  return null;
}

/** Index just after the string's closing quote, or the problem that stopped it. */
function skipString(text: string, start: number, maxLength: number): number | JsonProblem {
  let length = 0;
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) {
      const escaped = text.charCodeAt(i + 1);
      if (Number.isNaN(escaped)) break;
      if (escaped === 0x75 /* u */ && !HEX4.test(text.slice(i + 2, i + 6)))
        return { code: 'syntax', detail: `invalid \\u escape at offset ${i}` };
      if (escaped !== 0x75 && !SIMPLE_ESCAPES.has(escaped)) return { code: 'syntax', detail: `invalid escape at offset ${i}` };
      i += escaped === 0x75 ? 6 : 2;
    } else {
      i += 1;
    }
    length += 1;
    if (length > maxLength)
      return { code: 'string', detail: `string longer than ${maxLength} characters starting at offset ${start}` };
  }
  return { code: 'syntax', detail: `unterminated string starting at offset ${start}` };
}

/** Why a scanned body still failed to parse, without echoing it (JSON.parse messages quote the input). */
function parseFailureDetail(body: string): string {
  if (body.trim() === '') return 'the body is empty';
  try {
    JSON.parse(body);
    return 'a "__proto__" or "constructor.prototype" key, which is refused';
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    return position ? `not valid JSON at offset ${position[1]}` : 'not valid JSON';
  }
}

/**
 * Replaces Fastify's JSON parser for application/json and any application/*+json. Parsing itself
 * stays Fastify's (secure-json-parse, refusing __proto__ and constructor.prototype).
 */
export function registerBoundedJson(app: FastifyInstance, limits: JsonLimits = DEFAULT_JSON_LIMITS): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  const boundedParse = (
    request: FastifyRequest,
    body: string | Buffer,
    done: (error: Error | null, body?: unknown) => void,
  ): void => {
    const text = body.toString();
    const problem = scanJson(text, limits);
    if (problem) {
      done(new JsonBodyError(problem), undefined);
      return;
    }
    parse(request, text, (error: Error | null, value?: unknown) => {
      if (error) done(new JsonBodyError({ code: 'syntax', detail: parseFailureDetail(text) }), undefined);
      else done(null, value);
    });
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, boundedParse);
  app.addContentTypeParser(/^application\/[^\s;/]+\+json\s*(?:;|$)/, { parseAs: 'string' }, boundedParse);
}
