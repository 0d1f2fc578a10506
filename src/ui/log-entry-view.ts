// One session log entry as the page shows it: a summary line and, expanded, request, explanation, tokens and the rest.
import type { LogEntry } from '../domain/log.ts';
import { isRecord, prettyJson, timeView, type TimeView } from './format.ts';
import { entryJwts, jwtView, type CheckView, type JwtView } from './jwt-view.ts';
import { sentJwts } from './sent-jwts.ts';

export interface LogEntryView {
  id: number;
  domId: string;
  time: TimeView;
  level: string;
  endpoint: string;
  message: string;
  /** HTTP status of a 'received' entry (the request itself), else null. */
  httpStatus: number | null;
  statusClass: string;
  durationMs: number | null;
  request: { method: string; url: string; headers: Array<{ name: string; value: string }>; body: string | null } | null;
  problem: { rule: string; diagnostic: string; error: string; status: string; reason: string; help: string; specRef: string; detail: string; href: string } | null;
  jwts: JwtView[];
  /** Key of a summary entry that repeated requests replace (deferred polls); '' for ordinary entries. */
  aggregate: string;
  /** Data not shown in a section of its own, as JSON ('' when nothing is left). */
  otherJson: string;
}

const REQUEST_KEYS = ['method', 'url', 'headers', 'body', 'jwts', 'response_status', 'duration_ms'];
const PROBLEM_KEYS = ['rule', 'diagnostic', 'error', 'status', 'reason', 'help', 'spec_ref', 'detail'];
const TOKEN_KEYS = ['jwts', 'credentials', 'checks'];

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

/** Summary entries (repeated polls) carry the key they are kept under. */
export function aggregateKeyOf(entry: LogEntry): string {
  return entry.aggregate_key ?? '';
}

export function isReceivedEntry(entry: LogEntry): boolean {
  return typeof entry.data.response_status === 'number' && typeof entry.data.method === 'string';
}

function requestView(data: Record<string, unknown>): LogEntryView['request'] {
  const headers = isRecord(data.headers) ? data.headers : {};
  return {
    method: str(data.method),
    url: str(data.url),
    headers: Object.entries(headers).map(([name, value]) => ({ name, value: Array.isArray(value) ? value.join(', ') : str(value) })),
    body: data.body === undefined ? null : typeof data.body === 'string' ? data.body : prettyJson(data.body),
  };
}

function problemView(data: Record<string, unknown>, diagnosticsHref: string): LogEntryView['problem'] {
  return {
    rule: str(data.rule),
    diagnostic: str(data.diagnostic),
    error: str(data.error),
    status: str(data.status),
    reason: str(data.reason),
    help: str(data.help),
    specRef: str(data.spec_ref),
    detail: str(data.detail),
    href: `${diagnosticsHref}#${encodeURIComponent(str(data.diagnostic))}`,
  };
}

function statusClass(status: number | null): string {
  if (status === null) return '';
  return status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : status >= 300 ? 'http-3xx' : 'http-2xx';
}

export function logEntryView(entry: LogEntry, diagnosticsHref: string, now: number): LogEntryView {
  const data = entry.data;
  const received = isReceivedEntry(entry);
  const isProblem = entry.level === 'error' && typeof data.diagnostic === 'string';
  const failing: CheckView | undefined = isProblem
    ? { rule: str(data.rule), outcome: 'fail', detail: str(data.detail), href: `${diagnosticsHref}#rule-${str(data.rule)}` }
    : undefined;
  const shown = new Set([...(received ? REQUEST_KEYS : []), ...(isProblem ? PROBLEM_KEYS : []), ...TOKEN_KEYS]);
  const other = Object.fromEntries(Object.entries(data).filter(([key]) => !shown.has(key)));
  const httpStatus = received ? (data.response_status as number) : null;
  return {
    id: entry.id,
    domId: `log-${entry.id}`,
    time: timeView(entry.created_at, now),
    level: entry.level,
    endpoint: entry.endpoint,
    message: entry.message,
    httpStatus,
    statusClass: statusClass(httpStatus),
    durationMs: received && typeof data.duration_ms === 'number' ? data.duration_ms : null,
    request: received ? requestView(data) : null,
    problem: isProblem ? problemView(data, diagnosticsHref) : null,
    jwts: [
      ...entryJwts(data, failing, diagnosticsHref, now),
      ...(received ? sentJwts(data).map((token) => jwtView(token, 'JWT', [], diagnosticsHref, now)) : []),
    ],
    aggregate: aggregateKeyOf(entry),
    otherJson: Object.keys(other).length > 0 ? prettyJson(other) : '',
  };
}
