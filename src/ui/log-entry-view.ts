// One log entry (a request and its typed records) as the page shows it: a summary line and, expanded,
// the request, then each record read by its kind: checks with their findings and decoded JWTs,
// state changes, issued credentials, warnings and the explained rejection.
import { diagnostic } from '../diagnostics/index.ts';
import type { IssuedCredential } from '../domain/issuance.ts';
import type { LogEntry, PollsRecord, RequestRecord, TrailRecord } from '../domain/log.ts';
import { decodeCredential } from '../formats/index.ts';
import type { Store } from '../store/index.ts';
import { type MdocView, mdocView } from './credential-mdoc-view.ts';
import { prettyJson, type TimeView, timeView } from './format.ts';
import { type CheckView, checkViews, type JwtView, jwtView } from './jwt-view.ts';
import { resolveJwt, sentJwts } from './sent-jwts.ts';

export interface ProblemView {
  rule: string;
  diagnostic: string;
  error: string;
  status: string;
  reason: string;
  help: string;
  specRef: string;
  detail: string;
  href: string;
}

export interface RecordView {
  kind: TrailRecord['kind'];
  title: string;
  problem: ProblemView | null;
  /** Findings of a check without a JWT of its own; a JWT's findings are shown with it. */
  checks: CheckView[];
  jwts: JwtView[];
  /** Issued mso_mdoc credentials, shown by their own view. */
  mdocs: MdocView[];
  json: string;
}

export interface LogEntryView {
  id: number;
  domId: string;
  time: TimeView;
  level: string;
  endpoint: string;
  summary: string;
  httpStatus: number | null;
  statusClass: string;
  durationMs: number | null;
  request: {
    method: string;
    url: string;
    headers: Array<{ name: string; value: string }>;
    body: string | null;
    redactions: string[];
    jwts: JwtView[];
  } | null;
  records: RecordView[];
  /** Key of an entry that repeated requests replace (deferred polls); '' for ordinary entries. */
  aggregate: string;
}

/** What rendering a page of entries needs beyond the entries: the credentials they issued. */
export interface LogContext {
  credentials: Map<string, IssuedCredential>;
  diagnosticsHref: string;
  now: number;
}

export async function loadLogContext(
  store: Store,
  entries: readonly LogEntry[],
  diagnosticsHref: string,
  now: number,
): Promise<LogContext> {
  const ids = entries.flatMap((e) => e.records.flatMap((r) => (r.kind === 'issued' ? r.credential_ids : [])));
  return { credentials: await store.credentials.byIds(ids), diagnosticsHref, now };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const TESTER_ACTIONS = {
  offer_created: 'Offer created in the web console',
  claims_supplied: 'Claims supplied',
  claims_refused: 'Deferred request refused',
  credential_status_set: 'Credential status set',
} as const;

function statusClass(status: number | null): string {
  if (status === null) return '';
  return status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : status >= 300 ? 'http-3xx' : 'http-2xx';
}

function pollsSummary(r: PollsRecord): string {
  const fast = r.too_fast_polls > 0 ? `, ${r.too_fast_polls} faster than the ${r.interval_s} s interval` : '';
  return `Deferred credential pending: polled ${plural(r.polls, 'time')}${fast}`;
}

/** The line one record reads as. */
function titleOf(r: TrailRecord): string {
  switch (r.kind) {
    case 'request':
      return `${r.method} → ${r.status}`;
    case 'check': {
      const warns = r.findings.filter((f) => f.outcome === 'warn').length;
      return `${r.subject}: ${plural(r.findings.filter((f) => f.outcome === 'pass').length, 'rule')} passed${warns ? `, ${plural(warns, 'warning')}` : ''}`;
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

// The record that says best what happened, in this order of interest.
const HEADLINE: ReadonlyArray<TrailRecord['kind']> = ['rejection', 'legacy', 'issued', 'polls', 'tester', 'warning', 'state'];

/** The line an entry is listed with (on the page and in the session API). */
export function summaryOf(entry: LogEntry): string {
  const headline = HEADLINE.map((kind) => entry.records.find((r) => r.kind === kind)).find(Boolean);
  const request = entry.records.find((r): r is RequestRecord => r.kind === 'request');
  if (headline) return titleOf(headline);
  return request ? `${request.method} ${entry.endpoint} → ${request.status}` : entry.endpoint;
}

function problemView(r: TrailRecord, diagnosticsHref: string): ProblemView | null {
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
    detail: r.detail ?? '',
    href: `${diagnosticsHref}#${encodeURIComponent(d.id)}`,
  };
}

function dataOf(r: TrailRecord): unknown {
  switch (r.kind) {
    case 'check':
    case 'rejection':
      return r.facts;
    case 'state':
    case 'tester':
    case 'legacy':
      return r.data;
    case 'issued':
      return {
        credential_configuration_id: r.credential_configuration_id,
        notification_id: r.notification_id,
        ...(r.transaction_id ? { transaction_id: r.transaction_id } : {}),
      };
    case 'polls': {
      const measured = r.gaps === 0 ? null : Math.round(r.gap_sum_ms / r.gaps / 100) / 10;
      return {
        transaction_id: r.transaction_id,
        polls: r.polls,
        interval_s: r.interval_s,
        measured_interval_s: measured,
        too_fast_polls: r.too_fast_polls,
        last_request: r.last_request,
      };
    }
    default:
      return undefined;
  }
}

function recordView(r: TrailRecord, request: RequestRecord | undefined, context: LogContext): RecordView {
  const checks = r.kind === 'check' || r.kind === 'rejection' ? checkViews(r.findings, context.diagnosticsHref) : [];
  let jwts: JwtView[] = [];
  const mdocs: MdocView[] = [];
  if ((r.kind === 'check' || r.kind === 'rejection') && r.jwt) {
    const jwt = resolveJwt(request, r.jwt);
    if (jwt) jwts = [jwtView(r.kind === 'check' ? r.subject : (r.subject ?? 'Refused JWT'), jwt, checks, context.now)];
  } else if (r.kind === 'issued') {
    const note = 'Issued by this playground; its x5c chain ends at the CA from /certificates/ca.pem.';
    for (const [i, id] of r.credential_ids.entries()) {
      const credential = context.credentials.get(id);
      if (!credential) continue;
      const decoded = decodeCredential(credential.format, credential.credential);
      const mdoc = credential.format === 'mso_mdoc' ? mdocView(decoded) : null;
      if (mdoc) mdocs.push(mdoc);
      else jwts.push(jwtView(`Issued credential ${i + 1}`, decoded, [], context.now, note));
    }
  }
  const data = dataOf(r);
  return {
    kind: r.kind,
    title: titleOf(r),
    problem: problemView(r, context.diagnosticsHref),
    checks: jwts.length > 0 ? [] : checks,
    jwts,
    mdocs,
    json: data && typeof data === 'object' && Object.keys(data).length > 0 ? prettyJson(data) : '',
  };
}

function requestView(r: RequestRecord, referenced: ReadonlySet<string>, now: number): NonNullable<LogEntryView['request']> {
  return {
    method: r.method,
    url: r.url,
    headers: Object.entries(r.headers).map(([name, value]) => ({
      name,
      value: Array.isArray(value) ? value.join(', ') : String(value ?? ''),
    })),
    body: r.body === undefined ? null : typeof r.body === 'string' ? r.body : prettyJson(r.body),
    redactions: r.redactions.map(
      (x) =>
        `${x.where} ${x.name}: ${x.how === 'removed' ? 'removed' : x.how === 'signature' ? 'JWT signature dropped' : x.how === 'tx_code' ? 'only its length kept' : 'shortened'}`,
    ),
    // JWTs no record decodes (the request was refused before they were checked) are decoded here.
    jwts: sentJwts(r)
      .filter(({ ref }) => !referenced.has(ref))
      .map(({ label, jwt }) => jwtView(label, jwt, [], now, 'As sent; no check reached it before the request was answered.')),
  };
}

export function logEntryView(entry: LogEntry, context: LogContext): LogEntryView {
  const request = entry.records.find((r): r is RequestRecord => r.kind === 'request');
  const referenced = new Set(
    entry.records.flatMap((r) => ((r.kind === 'check' || r.kind === 'rejection') && r.jwt ? [r.jwt] : [])),
  );
  return {
    id: entry.id,
    domId: `log-${entry.id}`,
    time: timeView(entry.created_at, context.now),
    level: entry.level,
    endpoint: entry.endpoint,
    summary: summaryOf(entry),
    httpStatus: entry.http_status,
    statusClass: statusClass(entry.http_status),
    durationMs: entry.duration_ms,
    request: request ? requestView(request, referenced, context.now) : null,
    records: entry.records.filter((r) => r.kind !== 'request').map((r) => recordView(r, request, context)),
    aggregate: entry.aggregate_key ?? '',
  };
}
