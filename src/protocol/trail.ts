import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Finding } from '../checks/finding.ts';
import type { DiagnosticId } from '../diagnostics/index.ts';
import type {
  IssuedRecord,
  LogLevel,
  PollsRecord,
  RejectionRecord,
  RequestRecord,
  TesterRecord,
  TrailRecord,
} from '../domain/log.ts';
import { capToBudget } from '../logging/cap.ts';
import { type RedactOptions, redactEntry, redactSerialized } from '../logging/redact.ts';
import type { Repositories, Store } from '../store/index.ts';

type Spend = (tx: Repositories) => Promise<void>;

/** The records of one entry, redacted with the request's secrets, take at most this much. */
const ENTRY_BUDGET_BYTES = 32 * 1024;

function levelOf(record: TrailRecord): LogLevel {
  if (record.kind === 'rejection') return 'error';
  if (record.kind === 'warning') return 'warn';
  if (record.kind === 'polls') return record.too_fast_polls > 0 ? 'warn' : 'info';
  return record.kind === 'check' && record.findings.some((f) => f.outcome === 'warn') ? 'warn' : 'info';
}

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
const worstLevel = (records: readonly TrailRecord[]): LogLevel =>
  records.map(levelOf).reduce<LogLevel>((worst, level) => (LEVEL_RANK[level] > LEVEL_RANK[worst] ? level : worst), 'info');

/**
 * What happened while serving one request, as typed records, and the single-use values it spends.
 * `commit` runs the request's state change, its spends and the writing of its records as ONE
 * transaction; a request that changes nothing has its records written when the response is sent.
 * Records carry the session id even when it is learnt late (from a token or a code).
 */
export class Trail {
  sessionId: string | null = null;
  /** 'Bearer' when the presented token is a Bearer token; picks the WWW-Authenticate scheme. */
  tokenType: 'DPoP' | 'Bearer' = 'DPoP';
  readonly startedAt: number;
  private readonly records: TrailRecord[] = [];
  private readonly spends: Spend[] = [];
  /** What the error response hands out, stored with the rejection's records. */
  private rejectionCommit: Spend | undefined;
  /** Set when this request repeats an earlier one and replaces that one's summary instead of adding records. */
  private aggregate: { key: string; build: (previous: PollsRecord | undefined) => PollsRecord } | undefined;
  private written = false;
  private readonly request: FastifyRequest;
  private readonly redaction: RedactOptions;

  constructor(request: FastifyRequest, now: number, redaction: RedactOptions) {
    this.request = request;
    this.startedAt = now;
    this.redaction = redaction;
  }

  get committed(): boolean {
    return this.written;
  }

  /**
   * A check that ran on what the wallet sent, with every rule it evaluated. Returns the record's
   * findings, so a rule decided later in the request (a spend) can add its outcome.
   */
  check(subject: string, findings: readonly Finding[], extra: { jwt?: string; facts?: Record<string, unknown> } = {}): Finding[] {
    const own = [...findings];
    this.records.push({ kind: 'check', subject, ...extra, findings: own });
    return own;
  }

  /** Stores a session event and its state record in the transaction of the change. */
  async event(tx: Repositories, sessionId: string, type: string, data: Record<string, unknown>, now: number): Promise<void> {
    const { entry } = redactEntry(data, this.redaction);
    await tx.events.add(sessionId, type, entry, now);
    this.records.push({ kind: 'state', event: type, data: entry });
  }

  issued(record: Omit<IssuedRecord, 'kind'>): void {
    this.records.push({ kind: 'issued', ...record });
  }

  warning(diagnostic: DiagnosticId, detail?: string): void {
    this.records.push({ kind: 'warning', diagnostic, ...(detail ? { detail } : {}) });
  }

  tester(action: TesterRecord['action'], data: Record<string, unknown>): void {
    this.records.push({ kind: 'tester', action, data });
  }

  /** The refusal, written by the error handler once the response is decided. */
  rejection(record: Omit<RejectionRecord, 'kind'>, commit?: Spend): void {
    this.records.push({ kind: 'rejection', ...record });
    this.rejectionCommit = commit;
  }

  /** A single-use value to spend in the request's transaction; it throws when a racing request spent it first. */
  spend(spend: Spend): void {
    this.spends.push(spend);
  }

  aggregateAs(key: string, build: (previous: PollsRecord | undefined) => PollsRecord): void {
    this.aggregate = { key, build };
  }

  /**
   * Spends, runs the state change and writes the records in one transaction, for a response of
   * `status`. Records added by a body that fails are dropped with its rollback.
   */
  async commit<T>(store: Store, reply: FastifyReply, status: number, body: (tx: Repositories) => Promise<T>): Promise<T> {
    const mark = this.records.length;
    try {
      const result = await store.transaction(async (tx) => {
        for (const spend of this.spends) await spend(tx);
        const value = await body(tx);
        await this.write(tx, status, reply);
        return value;
      });
      this.written = true;
      return result;
    } catch (error) {
      this.records.length = mark;
      throw error;
    }
  }

  /** Writes the records of a request that committed nothing (a rejection, a read-only answer). */
  async flush(store: Store, reply: FastifyReply): Promise<void> {
    const handOut = this.rejectionCommit;
    if (this.written || (!this.worthWriting(reply.statusCode) && !handOut)) return;
    this.written = true;
    await store.transaction(async (tx) => {
      await handOut?.(tx);
      await this.write(tx, reply.statusCode, reply);
    });
  }

  /**
   * Writes the same records into each of these sessions' logs, for a read that concerns several
   * sessions at once (a status list fetch covers the credentials of many).
   */
  async writeToSessions(
    store: Store,
    reply: FastifyReply,
    status: number,
    sessions: ReadonlyArray<{ sessionId: string; subject: string; facts: Record<string, unknown> }>,
  ): Promise<void> {
    if (this.written || sessions.length === 0) return;
    this.written = true;
    await store.transaction(async (tx) => {
      for (const { sessionId, subject, facts } of sessions) {
        this.sessionId = sessionId;
        this.records.push({ kind: 'check', subject, facts, findings: [] });
        await this.write(tx, status, reply);
        this.records.pop();
      }
    });
  }

  /** Successful requests tied to no session (metadata-like traffic) would only bury the unassigned stream. */
  private worthWriting(status: number): boolean {
    return this.sessionId !== null || status >= 400;
  }

  private async write(tx: Repositories, status: number, reply: FastifyReply): Promise<void> {
    // The path only: a query may carry a token the wallet misplaced.
    const endpoint = this.request.routeOptions.config.endpoint ?? this.request.url.split('?')[0]!;
    const request = this.requestRecord(status, reply);
    const base = { session_id: this.sessionId, endpoint, created_at: this.startedAt };
    if (this.aggregate && status < 400) {
      const previous = (await tx.logs.aggregate(this.aggregate.key))?.records.find((r): r is PollsRecord => r.kind === 'polls');
      const polls = this.aggregate.build(previous);
      polls.last_request = {
        headers: request.entry.headers,
        ...(request.entry.body !== undefined ? { body: request.entry.body } : {}),
      };
      await tx.logs.replaceAggregate(this.aggregate.key, {
        ...base,
        level: levelOf(polls),
        http_status: 202,
        duration_ms: null,
        records: [polls],
      });
      return;
    }
    if (!this.worthWriting(status)) return;
    // The records name what the request carried (a code in a detail, a token in a fact): its secrets go from them too.
    const others = redactSerialized(JSON.stringify(this.records), request.secrets);
    const json = `[${JSON.stringify(request.entry)}${others === '[]' ? ']' : `,${others.slice(1)}`}`;
    const level = worstLevel(this.records);
    // The rule column is built from the records themselves, so a cut entry still counts every finding.
    const entry = { ...base, level, http_status: status, duration_ms: request.entry.duration_ms, records: this.records };
    await tx.logs.append({ ...entry, recordsJson: capped(json) });
  }

  private requestRecord(status: number, reply: FastifyReply): { entry: RequestRecord; secrets: string[] } {
    const { request } = this;
    const { entry, redactions, secrets } = redactEntry(
      {
        method: request.method,
        url: request.url,
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
      },
      this.redaction,
    );
    const { headers, body } = entry as { headers: Record<string, unknown>; body?: unknown };
    return {
      entry: {
        kind: 'request',
        method: request.method,
        url: String(entry.url),
        headers,
        ...(body !== undefined ? { body } : {}),
        status,
        duration_ms: Math.round(reply.elapsedTime * 10) / 10,
        redactions,
      },
      secrets,
    };
  }
}

/** The stored JSON of an entry's records: as written, or, over the budget, every record's kind with long values cut (and marked). */
function capped(json: string): string {
  // Cheap first: a UTF-8 byte is at most three UTF-16 units, so most entries are known to fit from their length alone.
  if (json.length * 3 <= ENTRY_BUDGET_BYTES || Buffer.byteLength(json) <= ENTRY_BUDGET_BYTES) return json;
  const stored = JSON.parse(json) as TrailRecord[];
  const { value, truncated } = capToBudget(stored, ENTRY_BUDGET_BYTES);
  if (!truncated) return json;
  const cut = Array.isArray(value) ? value : [];
  return JSON.stringify(stored.map((record, i) => ({ ...(cut[i] as object), kind: record.kind, truncated: true })));
}
