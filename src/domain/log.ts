// Session logs: one entry per request, holding typed records of what the wallet sent, what each
// check found and what changed.
import type { Finding } from '../checks/finding.ts';
import type { DiagnosticId } from '../diagnostics/index.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where a JWT of a check sits in the entry's `request` record, which keeps it once:
 * `header:dpop`, `body:proofs.jwt[0]`, and `#key_attestation` for a JWT inside another's header.
 */
export type JwtRef = string;

/** What was removed or shortened before the request was stored (issue: what logs keep). */
export interface Redaction {
  where: 'header' | 'query' | 'body' | 'data';
  name: string;
  how: 'secret' | 'removed' | 'tx_code' | 'signature';
}

/** The HTTP exchange itself: one per request, written with the request's other records. */
export interface RequestRecord {
  kind: 'request';
  method: string;
  url: string;
  headers: Record<string, unknown>;
  body?: unknown;
  status: number;
  duration_ms: number;
  redactions: Redaction[];
}

/** A check that ran on something the wallet sent (a JWT, or the request's own parameters), with every rule it evaluated. */
export interface CheckRecord {
  kind: 'check';
  subject: string;
  jwt?: JwtRef;
  /** Chain building, trust anchor and other facts the check established, for the tester. */
  facts?: Record<string, unknown>;
  findings: Finding[];
}

/** A session state change, mirroring the event that the same transaction stored. */
export interface StateRecord {
  kind: 'state';
  event: string;
  data: Record<string, unknown>;
}

/** Credentials handed to the wallet; the credentials themselves are stored once (issued_credentials) and decoded when shown. */
export interface IssuedRecord {
  kind: 'issued';
  credential_configuration_id: string;
  format: string;
  credential_ids: string[];
  notification_id: string;
  transaction_id?: string;
}

/** Why the request was refused, with the findings of the check that refused it. */
export interface RejectionRecord {
  kind: 'rejection';
  diagnostic: DiagnosticId;
  detail?: string;
  status: number;
  error: string;
  subject?: string;
  jwt?: JwtRef;
  facts?: Record<string, unknown>;
  findings: Finding[];
}

/** A warning that did not refuse the request (an older draft's dialect, a wallet habit worth fixing). */
export interface WarningRecord {
  kind: 'warning';
  diagnostic: DiagnosticId;
  detail?: string;
}

/** Repeated pending polls of one deferred transaction, kept as one record that each poll replaces (DEF-11). */
export interface PollsRecord {
  kind: 'polls';
  transaction_id: string;
  polls: number;
  first_poll_at: number;
  last_poll_at: number;
  interval_s: number;
  gaps: number;
  gap_sum_ms: number;
  too_fast_polls: number;
  last_request: { headers: Record<string, unknown>; body?: unknown };
}

/** Something the tester did on the page or through the API (claims supplied or refused, an offer made). */
export interface TesterRecord {
  kind: 'tester';
  action: 'offer_created' | 'claims_supplied' | 'claims_refused' | 'credential_status_set';
  data: Record<string, unknown>;
}

/** Entries written before log records were typed: a message and its data, shown as they are. */
export interface LegacyRecord {
  kind: 'legacy';
  message: string;
  data: Record<string, unknown>;
}

export type TrailRecord =
  | RequestRecord
  | CheckRecord
  | StateRecord
  | IssuedRecord
  | RejectionRecord
  | WarningRecord
  | PollsRecord
  | TesterRecord
  | LegacyRecord;

export type RecordKind = TrailRecord['kind'];

/** One request (or tester action) as the log keeps it: its records, in the order they happened. */
export interface LogEntry {
  id: number;
  session_id: string | null;
  /** The worst of its records: error for a rejection, warn for a warning. */
  level: LogLevel;
  endpoint: string;
  created_at: number;
  /** The HTTP status and duration of the request (202 for a poll summary). */
  http_status: number | null;
  duration_ms: number | null;
  /** Set on entries that repeated requests replace (deferred polls). */
  aggregate_key: string | null;
  records: TrailRecord[];
}

/** Entries of a session whose checks had the same rule outcomes, as the conformance report reads them. */
export interface RuleGroup {
  /** Each evaluation of an entry, in order (a rule evaluated twice, for two proofs, appears twice). */
  rules: Array<{ rule: string; outcome: Finding['outcome'] }>;
  /** How many entries had exactly these outcomes. */
  count: number;
  first_at: number;
  last_at: number;
  /** The oldest entries of the group (as many as the caller asked for). */
  entry_ids: number[];
}

/** The findings of every check record of an entry: what the conformance report counts. */
export function findingsOf(records: readonly TrailRecord[]): Finding[] {
  return records.flatMap((r) => (r.kind === 'check' || r.kind === 'rejection' ? r.findings : []));
}

export type NewLogEntry = Omit<LogEntry, 'id' | 'aggregate_key'> & {
  /** The records as stored, when the writer serialized (redacted, capped) them itself; `records` then only feed the rule column. */
  recordsJson?: string;
};

/** Narrows a log listing; afterId returns only entries newer than a given one (live updates). */
export interface LogFilter {
  level?: LogLevel;
  endpoint?: string;
  afterId?: number;
}
