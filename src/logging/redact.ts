// What a stored log entry or event may keep of what the wallet sent: secrets become recognisable
// stubs, cookies and (by default) client addresses go, JWTs keep header and payload but lose the
// signature. Pure: returns a redacted copy and the list of what was redacted, for the page to show.
import { dropJwtSignature } from './jwt-signature.ts';

export type RedactionPlace = 'header' | 'query' | 'body' | 'data';
export type RedactionKind = 'secret' | 'removed' | 'tx_code' | 'signature';
export interface Redaction {
  where: RedactionPlace;
  /** Header or parameter name, or the path in a body (`proofs.jwt[0]`). */
  name: string;
  how: RedactionKind;
}

export interface RedactOptions {
  /** LOG_CLIENT_IPS: keep X-Forwarded-For and the other client address headers. */
  logClientIps?: boolean;
  /** Whether the tx_code in this request matched the offer's; stored beside its length. */
  txCodeMatched?: boolean;
  /** Secret values learnt elsewhere (e.g. from the request this entry belongs to), removed from any text. */
  knownSecrets?: Iterable<string>;
}

export interface RedactedEntry {
  entry: Record<string, unknown>;
  redactions: Redaction[];
  /** The secret values found, for redactText and for knownSecrets of the same request's other entries. Never store them. */
  secrets: string[];
}

const SECRET_NAMES = new Set([
  'pre-authorized_code',
  'code',
  'access_token',
  'refresh_token',
  'code_verifier',
  'client_secret',
  'tx_code',
  'session_token',
  'admin_token',
  '_csrf',
]);
// Header names compare as `X-Admin-Token` → `admin_token`; @fastify/csrf-protection also reads these two.
const SECRET_HEADER_NAMES = new Set([...SECRET_NAMES, 'csrf_token', 'xsrf_token']);
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization']);
const COOKIE_HEADERS = new Set(['cookie', 'set-cookie']);
const CLIENT_IP_HEADERS = new Set([
  'x-forwarded-for',
  'x-real-ip',
  'cf-connecting-ip',
  'true-client-ip',
  'forwarded',
  'x-client-ip',
  'fastly-client-ip',
  'x-cluster-client-ip',
  'x-forwarded',
  'forwarded-for',
]);
/** Shorter values stay in free text: replacing every "123" would garble unrelated text. */
const MIN_TEXT_SECRET_LENGTH = 4;

/** Shows enough of a secret to recognise it in a log, never enough to use it. Idempotent. */
export function redactSecret(value: string): string {
  if (isRedacted(value)) return value;
  return value.length <= 12 ? '…' : `${value.slice(0, 6)}…${value.slice(-4)}`;
}

const isRedacted = (value: string) => value.length <= 11 && value.includes('…');

/** Secrets worth replacing in text, longest first so a secret containing another is replaced whole. */
function textSecrets(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)].filter((s) => s.length >= MIN_TEXT_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

function replaceEach(
  text: string,
  secrets: readonly string[],
  stub: (secret: string) => string,
  form: (secret: string) => string,
): string {
  let out = text;
  for (const secret of secrets) {
    const found = form(secret);
    if (out.includes(found)) out = out.split(found).join(stub(secret));
  }
  return out;
}

const asIs = (s: string) => s;

/** Replaces every occurrence of a known secret in free text (an error detail that echoes a code). */
export function redactText(text: string, secrets: Iterable<string>): string {
  return replaceEach(text, textSecrets(secrets), redactSecret, asIs);
}

const jsonInner = (s: string) => JSON.stringify(s).slice(1, -1);
// A JSON member named like a secret whose value is a string or a number (names are plain [a-z_-]).
const NAMED_SECRET_VALUE = new RegExp(`"(${[...SECRET_NAMES].join('|')})":("(?:[^"\\\\]|\\\\.)*"|-?\\d+(?:\\.\\d+)?)`, 'g');
const JWS_STRING = /"([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)"/g;

/**
 * The same rules as redactEntry's data fields, applied to JSON text the server wrote itself (the
 * typed records of a log entry): values under secret names, the given secrets anywhere, and JWT
 * signatures. One pass over the text instead of a walk that copies every object.
 */
export function redactSerialized(json: string, secrets: Iterable<string>): string {
  const found = [...secrets];
  const named = json.replace(NAMED_SECRET_VALUE, (_, name: string, raw: string) => {
    const value = String(JSON.parse(raw));
    found.push(value);
    return `"${name}":${JSON.stringify(name === 'tx_code' ? { length: value.length } : redactSecret(value))}`;
  });
  const unsigned = named.replace(JWS_STRING, (_, jws: string) => `"${dropJwtSignature(jws)}"`);
  return replaceEach(unsigned, textSecrets(found), (s) => jsonInner(redactSecret(s)), jsonInner);
}

interface Context {
  options: RedactOptions;
  redactions: Map<string, Redaction>;
  secrets: Set<string>;
}

function note(ctx: Context, where: RedactionPlace, name: string, how: RedactionKind): void {
  ctx.redactions.set(`${where} ${name} ${how}`, { where, name, how });
}

function secretStub(ctx: Context, where: RedactionPlace, name: string, secret: string): string {
  if (!isRedacted(secret)) ctx.secrets.add(secret);
  note(ctx, where, name, 'secret');
  return redactSecret(secret);
}

/** A tx_code is never shown, not even in part: only its length and, when the caller knows it, whether it matched. */
function txCodeStub(ctx: Context, where: RedactionPlace, name: string, txCode: string): { length: number; matched?: boolean } {
  ctx.secrets.add(txCode);
  note(ctx, where, name, 'tx_code');
  const matched = ctx.options.txCodeMatched;
  return matched === undefined ? { length: txCode.length } : { length: txCode.length, matched };
}

/** A value under a secret name; objects under it (the offer's tx_code description) are walked, not hidden. */
function redactNamed(ctx: Context, where: RedactionPlace, path: string, key: string, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item, i) => redactNamed(ctx, where, `${path}[${i}]`, key, item));
  if (typeof value !== 'string' && typeof value !== 'number') return walk(ctx, where, path, value);
  return key === 'tx_code' ? txCodeStub(ctx, where, path, String(value)) : secretStub(ctx, where, path, String(value));
}

function walkProperty(ctx: Context, where: RedactionPlace, path: string, key: string, value: unknown): unknown {
  return SECRET_NAMES.has(key) ? redactNamed(ctx, where, path, key, value) : walk(ctx, where, path, value);
}

function walk(ctx: Context, where: RedactionPlace, path: string, value: unknown): unknown {
  if (typeof value === 'string') {
    const unsigned = dropJwtSignature(value);
    if (unsigned !== value) note(ctx, where, path, 'signature');
    return unsigned;
  }
  if (Array.isArray(value)) return value.map((item, i) => walk(ctx, where, `${path}[${i}]`, item));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = walkProperty(ctx, where, path ? `${path}.${key}` : key, key, value[key]);
  return out;
}

/** Query or form parameters in their string form, kept as sent unless something had to go. */
function redactParams(ctx: Context, where: RedactionPlace, params: string): string {
  const parsed = new URLSearchParams(params);
  const out = new URLSearchParams();
  for (const [key, value] of parsed) {
    if (key === 'tx_code') out.append(key, `[${txCodeStub(ctx, where, key, value).length} characters]`);
    else out.append(key, SECRET_NAMES.has(key) ? secretStub(ctx, where, key, value) : (walk(ctx, where, key, value) as string));
  }
  return out.toString() === parsed.toString() ? params : out.toString();
}

function redactHeaders(ctx: Context, headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const values = Array.isArray(value) ? value.map(String) : [String(value)];
    const stubs = () => values.map((v) => secretStub(ctx, 'header', lower, v));
    if (COOKIE_HEADERS.has(lower) || (CLIENT_IP_HEADERS.has(lower) && !ctx.options.logClientIps)) {
      note(ctx, 'header', lower, 'removed');
      continue;
    }
    if (CREDENTIAL_HEADERS.has(lower)) {
      const [scheme, token] = values[0]!.split(/\s+/, 2);
      out[name] = token ? `${scheme} ${secretStub(ctx, 'header', lower, token)}` : stubs()[0];
    } else if (SECRET_HEADER_NAMES.has(lower.replace(/^x-/, '').replaceAll('-', '_'))) {
      out[name] = Array.isArray(value) ? stubs() : stubs()[0];
    } else {
      out[name] = walk(ctx, 'header', lower, value);
    }
  }
  return out;
}

function redactUrl(ctx: Context, url: string): string {
  const at = url.indexOf('?');
  return at === -1 ? url : `${url.slice(0, at)}?${redactParams(ctx, 'query', url.slice(at + 1))}`;
}

function redactBody(ctx: Context, body: unknown, contentType: unknown): unknown {
  const isForm = String(contentType).toLowerCase().startsWith('application/x-www-form-urlencoded');
  return typeof body === 'string' && isForm ? redactParams(ctx, 'body', body) : walk(ctx, 'body', '', body);
}

function replaceSecrets(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return replaceEach(value, secrets, redactSecret, asIs);
  if (Array.isArray(value)) return value.map((item) => replaceSecrets(item, secrets));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = replaceSecrets(value[key], secrets);
  return out;
}

/** Redacts one log entry's or event's data: headers, query, url and body by their own rules, every other field as data. */
export function redactEntry(entry: Record<string, unknown>, options: RedactOptions = {}): RedactedEntry {
  const ctx: Context = { options, redactions: new Map(), secrets: new Set() };
  const headers = isRecord(entry.headers) ? entry.headers : undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entry)) {
    if (key === 'headers' && headers) out[key] = redactHeaders(ctx, headers);
    else if (key === 'query') out[key] = walk(ctx, 'query', '', value);
    else if (key === 'url' && typeof value === 'string') out[key] = redactUrl(ctx, value);
    else if (key === 'body') out[key] = redactBody(ctx, value, headers?.['content-type']);
    else out[key] = walkProperty(ctx, 'data', key, key, value);
  }
  const everySecret = textSecrets([...ctx.secrets, ...(options.knownSecrets ?? [])]);
  return {
    entry: everySecret.length > 0 ? (replaceSecrets(out, everySecret) as Record<string, unknown>) : out,
    redactions: [...ctx.redactions.values()],
    secrets: [...ctx.secrets],
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
