// One log record as the page shows it, read by its kind: a summary line and, expanded, the request,
// the explanation of a rejection or warning, the findings, the decoded JWTs and credentials.
import { diagnostic } from '../diagnostics/index.ts';
import type { IssuedCredential } from '../domain/issuance.ts';
import type { LogEntry, PollsRecord, RequestRecord, TrailRecord } from '../domain/log.ts';
import { decodeIssuedCredential } from '../issuance/decode-credential.ts';
import type { Store } from '../store/index.ts';
import { isRecord, prettyJson, timeView, type TimeView } from './format.ts';
import { checkViews, jwtView, type CheckView, type JwtView } from './jwt-view.ts';
import { resolveJwt, sentJwts } from './sent-jwts.ts';

export interface LogEntryView {
  id: number;
  domId: string;
  time: TimeView;
  level: string;
  kind: TrailRecord['kind'];
  endpoint: string;
  summary: string;
  /** HTTP status of a request record, else null. */
  httpStatus: number | null;
  statusClass: string;
  durationMs: number | null;
  request: { method: string; url: string; headers: Array<{ name: string; value: string }>; body: string | null; redactions: string[] } | null;
  problem: { rule: string; diagnostic: string; error: string; status: string; reason: string; help: string; specRef: string; detail: string; href: string } | null;
  checks: CheckView[];
  jwts: JwtView[];
  /** Facts and data not shown in a section of their own, as JSON ('' when there are none). */
  otherJson: string;
  /** Key of a summary record that repeated requests replace (deferred polls); '' for ordinary records. */
  aggregate: string;
}

/** What rendering a page of records needs beyond the records: the requests their JWTs are in, the credentials issued. */
export interface LogContext {
  requests: Map<string, RequestRecord>;
  credentials: Map<string, IssuedCredential>;
  diagnosticsHref: string;
  now: number;
}

export async function loadLogContext(store: Store, entries: readonly LogEntry[], diagnosticsHref: string, now: number): Promise<LogContext> {
  const requests = new Map<string, RequestRecord>();
  for (const e of entries) if (e.record.kind === 'request') requests.set(e.request_id, e.record);
  const missing = entries.filter((e) => 'jwt' in e.record && e.record.jwt && !requests.has(e.request_id)).map((e) => e.request_id);
  for (const [id, record] of await store.logs.requests(missing)) requests.set(id, record);
  const credentialIds = entries.flatMap((e) => (e.record.kind === 'issued' ? e.record.credential_ids : []));
  return { requests, credentials: await store.credentials.byIds(credentialIds), diagnosticsHref, now };
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function statusClass(status: number | null): string {
  if (status === null) return '';
  return status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : status >= 300 ? 'http-3xx' : 'http-2xx';
}

function pollsSummary(r: PollsRecord): string {
  const fast = r.too_fast_polls > 0 ? `, ${r.too_fast_polls} faster than the ${r.interval_s} s interval` : '';
  return `Deferred credential pending: polled ${plural(r.polls, 'time')}${fast}`;
}

const TESTER_ACTIONS = { offer_created: 'Offer created in the web console', claims_supplied: 'Claims supplied', claims_refused: 'Deferred request refused' } as const;

/** The line a record is listed with (on the page and in the session API). */
export function summaryOf(entry: LogEntry): string {
  const r = entry.record;
  switch (r.kind) {
    case 'request':
      return `${r.method} ${entry.endpoint} → ${r.status}`;
    case 'check': {
      const warns = entry.findings.filter((f) => f.outcome === 'warn').length;
      return `${r.subject}: ${plural(entry.findings.filter((f) => f.outcome === 'pass').length, 'rule')} passed${warns ? `, ${plural(warns, 'warning')}` : ''}`;
    }
    case 'state':
      return `Session event: ${r.event}`;
    case 'issued':
      return `${r.transaction_id ? 'Deferred credential issued' : 'Credential issued'} (${r.credential_ids.length} × ${r.format})`;
    case 'rejection':
    case 'warning': {
      const title = diagnostic(r.diagnostic).title;
      return r.detail ? `${title}: ${r.detail}` : title;
    }
    case 'polls':
      return pollsSummary(r);
    case 'tester':
      return `${TESTER_ACTIONS[r.action]}${typeof r.data.credential_configuration_id === 'string' ? ` for ${r.data.credential_configuration_id}` : ''}`;
    case 'legacy':
      return r.message;
  }
}

function requestView(r: RequestRecord): LogEntryView['request'] {
  return {
    method: r.method,
    url: r.url,
    headers: Object.entries(r.headers).map(([name, value]) => ({ name, value: Array.isArray(value) ? value.join(', ') : str(value) })),
    body: r.body === undefined ? null : typeof r.body === 'string' ? r.body : prettyJson(r.body),
    redactions: r.redactions.map((x) => `${x.where} ${x.name}: ${x.how === 'removed' ? 'removed' : x.how === 'signature' ? 'JWT signature dropped' : x.how === 'tx_code' ? 'only its length kept' : 'shortened'}`),
  };
}

function problemView(entry: LogEntry, diagnosticsHref: string): LogEntryView['problem'] {
  const r = entry.record;
  if (r.kind !== 'rejection' && r.kind !== 'warning') return null;
  const d = diagnostic(r.diagnostic);
  return {
    rule: d.rule,
    diagnostic: d.id,
    error: r.kind === 'rejection' ? r.error : '',
    status: r.kind === 'rejection' ? String(r.status) : '',
    reason: d.reason,
    help: d.help,
    specRef: d.spec_ref,
    detail: str(r.detail),
    href: `${diagnosticsHref}#${encodeURIComponent(d.id)}`,
  };
}

function tokensOf(entry: LogEntry, checks: CheckView[], context: LogContext): JwtView[] {
  const r = entry.record;
  if (r.kind === 'request') return sentJwts(r).map(({ label, jwt }) => jwtView(label, jwt, [], context.now, 'As sent; the checks on it are in the records of the same request.'));
  if ((r.kind === 'check' || r.kind === 'rejection') && r.jwt) {
    const jwt = resolveJwt(context.requests.get(entry.request_id), r.jwt);
    return jwt ? [jwtView(r.kind === 'check' ? r.subject : (r.subject ?? 'Refused JWT'), jwt, checks, context.now)] : [];
  }
  if (r.kind === 'issued') {
    return r.credential_ids.flatMap((id, i) => {
      const credential = context.credentials.get(id);
      const note = 'Issued by this playground; its x5c chain ends at the CA from /certificates/ca.pem.';
      return credential ? [jwtView(`Issued credential ${i + 1}`, decodeIssuedCredential(credential.credential), [], context.now, note)] : [];
    });
  }
  return [];
}

function otherOf(r: TrailRecord): Record<string, unknown> | undefined {
  switch (r.kind) {
    case 'check':
    case 'rejection':
      return r.facts;
    case 'state':
    case 'tester':
    case 'legacy':
      return r.data;
    case 'issued':
      return { credential_configuration_id: r.credential_configuration_id, notification_id: r.notification_id, ...(r.transaction_id ? { transaction_id: r.transaction_id } : {}) };
    case 'polls': {
      const measured = r.gaps === 0 ? null : Math.round(r.gap_sum_ms / r.gaps / 100) / 10;
      return { transaction_id: r.transaction_id, polls: r.polls, interval_s: r.interval_s, measured_interval_s: measured, too_fast_polls: r.too_fast_polls, last_request: r.last_request };
    }
    default:
      return undefined;
  }
}

export function logEntryView(entry: LogEntry, context: LogContext): LogEntryView {
  const r = entry.record;
  const checks = checkViews(entry.findings, context.diagnosticsHref);
  const httpStatus = r.kind === 'request' ? r.status : null;
  const other = otherOf(r);
  return {
    id: entry.id,
    domId: `log-${entry.id}`,
    time: timeView(entry.created_at, context.now),
    level: entry.level,
    kind: r.kind,
    endpoint: entry.endpoint,
    summary: summaryOf(entry),
    httpStatus,
    statusClass: statusClass(httpStatus),
    durationMs: r.kind === 'request' ? r.duration_ms : null,
    request: r.kind === 'request' ? requestView(r) : null,
    problem: problemView(entry, context.diagnosticsHref),
    checks,
    jwts: tokensOf(entry, checks, context),
    otherJson: other && isRecord(other) && Object.keys(other).length > 0 ? prettyJson(other) : '',
    aggregate: entry.aggregate_key ?? '',
  };
}
