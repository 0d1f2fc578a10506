// Session logs as typed records: what the wallet sent, what each check found, what changed.
import type { Finding } from '../checks/finding.ts';
import type { DiagnosticId } from '../diagnostics/index.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where a JWT of a check sits in its request's `request` record, which keeps it once:
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

/** A check that ran on something the wallet sent (a JWT, or the request's own parameters); its findings are the entry's. */
export interface CheckRecord {
  kind: 'check';
  subject: string;
  jwt?: JwtRef;
  /** Chain building, trust anchor and other facts the check established, for the tester. */
  facts?: Record<string, unknown>;
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

/** Why the request was refused; the findings are those of the check that refused it. */
export interface RejectionRecord {
  kind: 'rejection';
  diagnostic: DiagnosticId;
  detail?: string;
  status: number;
  error: string;
  subject?: string;
  jwt?: JwtRef;
  facts?: Record<string, unknown>;
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
  action: 'offer_created' | 'claims_supplied' | 'claims_refused';
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

export interface LogEntry {
  id: number;
  session_id: string | null;
  /** Groups the records of one request. */
  request_id: string;
  level: LogLevel;
  endpoint: string;
  created_at: number;
  /** Set on records that repeated requests replace (deferred polls). */
  aggregate_key: string | null;
  record: TrailRecord;
  /** Every rule the record's check evaluated: what the conformance report counts. */
  findings: Finding[];
}

export type NewLogEntry = Omit<LogEntry, 'id' | 'aggregate_key'>;

/** Narrows a log listing; afterId returns only entries newer than a given one (live updates). */
export interface LogFilter {
  level?: LogLevel;
  endpoint?: string;
  afterId?: number;
}
