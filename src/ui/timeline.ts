// The flow at a glance, derived from the session's 'received' log entries (HTTP status and latency per request).
import type { LogEntry } from '../domain/log.ts';
import type { Session } from '../domain/session.ts';
import { timeView, type TimeView } from './format.ts';
import { aggregateKeyOf, isReceivedEntry } from './log-entry-view.ts';

export type StepState = 'ok' | 'pending' | 'failed' | 'inferred' | 'skipped' | 'waiting' | 'optional' | 'not-needed' | 'unknown';

export interface Attempt {
  time: TimeView;
  status: number | null;
  durationMs: number | null;
  ok: boolean;
  logHref: string;
}

const STATE_LABELS: Record<StepState, string> = {
  ok: 'done',
  pending: 'pending (202)',
  failed: 'failed',
  inferred: 'inferred',
  skipped: 'skipped',
  waiting: 'not yet',
  optional: 'optional, not sent',
  'not-needed': 'not needed',
  unknown: 'unknown',
};

export interface TimelineStep {
  key: string;
  title: string;
  endpoint: string;
  state: StepState;
  stateLabel: string;
  attempts: Attempt[];
  /** Older attempts not listed, to keep polling sessions short. */
  hiddenAttempts: number;
  note: string;
}

const MAX_ATTEMPTS_SHOWN = 5;
const ok = (status: number) => status < 400;

/** Requests at an endpoint; a summary of repeated pending polls counts as one 202 attempt. */
function attemptsAt(entries: LogEntry[], endpoint: string, now: number): Attempt[] {
  return entries
    .filter((e) => e.endpoint === endpoint && (isReceivedEntry(e) || isPollSummary(e)))
    .map((e) => {
      const status = isPollSummary(e) ? 202 : (e.data.response_status as number);
      const durationMs = typeof e.data.duration_ms === 'number' ? e.data.duration_ms : null;
      return { time: timeView(e.created_at, now), status, durationMs, ok: ok(status), logHref: `#log-${e.id}` };
    })
    .sort((a, b) => a.time.iso.localeCompare(b.time.iso));
}

const isPollSummary = (e: LogEntry) => aggregateKeyOf(e) !== '' && typeof e.data.polls === 'number';

function pollNote(entries: LogEntry[]): string {
  const summary = entries.filter(isPollSummary).at(-1);
  if (!summary) return '';
  const { polls, interval_s: interval, measured_interval_s: measured } = summary.data;
  return `Polled ${String(polls)} time(s) while pending${measured !== null && measured !== undefined ? `, every ${String(measured)} s on average` : ''} (interval ${String(interval)} s).`;
}

const stateOf = (attempts: Attempt[]): StepState | undefined =>
  attempts.length === 0 ? undefined : attempts.at(-1)!.status === 202 ? 'pending' : attempts.at(-1)!.ok ? 'ok' : 'failed';

function step(key: string, title: string, endpoint: string, attempts: Attempt[], state: StepState, note = ''): TimelineStep {
  const hidden = Math.max(0, attempts.length - MAX_ATTEMPTS_SHOWN);
  return { key, title, endpoint, state, stateLabel: STATE_LABELS[state], attempts: attempts.slice(hidden), hiddenAttempts: hidden, note };
}

/** Nonce requests carry no session; a c_nonce accepted at /credential proves the wallet fetched one. */
function nonceStep(entries: LogEntry[], credentialAttempts: Attempt[], now: number): TimelineStep {
  const accepted = entries.filter((e) => e.endpoint === '/credential' && e.message === 'c_nonce accepted');
  const inferredNote = 'Nonce requests carry no session, so this step is inferred from the c_nonce the credential request presented.';
  if (accepted.length > 0) {
    const attempts = accepted.map((e) => ({
      time: timeView(e.created_at - Number(e.data.issued_s_ago ?? 0) * 1000, now),
      status: null, durationMs: null, ok: true, logHref: `#log-${e.id}`,
    }));
    return step('nonce', 'Nonce', '/nonce', attempts, 'inferred', `${inferredNote} Times are when each c_nonce was issued.`);
  }
  const nonceRejected = entries.some((e) => e.endpoint === '/credential' && e.level === 'error' && e.data.rule === 'PRF-08');
  if (nonceRejected) {
    return step('nonce', 'Nonce', '/nonce', [], 'skipped', `No credential request carried a valid c_nonce (PRF-08): the wallet may never have called the nonce endpoint. ${inferredNote}`);
  }
  if (credentialAttempts.length > 0) return step('nonce', 'Nonce', '/nonce', [], 'unknown', `Not known yet: no credential request got as far as its c_nonce check. ${inferredNote}`);
  return step('nonce', 'Nonce', '/nonce', [], 'waiting', inferredNote);
}

export function buildTimeline(session: Session, entries: LogEntry[], now: number): TimelineStep[] {
  const offer = attemptsAt(entries, '/credential_offers/:id', now);
  const token = attemptsAt(entries, '/token', now);
  const credential = attemptsAt(entries, '/credential', now);
  const deferred = attemptsAt(entries, '/deferred_credential', now);
  const notification = attemptsAt(entries, '/notification', now);
  const reachedToken = token.length > 0 || credential.length > 0;
  const issued = [...credential, ...deferred].some((a) => a.status === 200);
  const answeredDeferred = credential.some((a) => a.status === 202);
  const mayDefer = answeredDeferred || deferred.length > 0 || session.credential_configuration_ids.some((id) => id.endsWith('_deferred'));

  const deferredNote = deferred.length > 0 ? pollNote(entries.filter((e) => e.endpoint === '/deferred_credential'))
    : answeredDeferred ? 'The wallet has not polled the deferred endpoint yet.'
    : 'Only used when the credential endpoint answers 202.';
  return [
    step('offer', 'Offer retrieved', 'GET /credential_offers/:id', offer, stateOf(offer) ?? (reachedToken ? 'skipped' : 'waiting'),
      offer.length === 0 && reachedToken ? 'The wallet never fetched the offer by reference; it got the pre-authorized code some other way.' : ''),
    step('metadata', 'Metadata', 'GET /.well-known/…', [], reachedToken ? 'inferred' : 'unknown',
      `Metadata requests carry no session, so they are not in this log.${reachedToken ? ' The wallet reached the token endpoint, so it had the metadata.' : ''}`),
    step('token', 'Token', 'POST /token', token, stateOf(token) ?? (credential.length > 0 ? 'skipped' : 'waiting')),
    nonceStep(entries, credential, now),
    // A 202 completes this step; the deferred step then carries the wait.
    step('credential', 'Credential', 'POST /credential', credential, credential.at(-1)?.status === 202 ? 'ok' : (stateOf(credential) ?? 'waiting'),
      answeredDeferred ? 'The credential endpoint answered 202: issuance is deferred.' : ''),
    step('deferred', 'Deferred credential', 'POST /deferred_credential', deferred, stateOf(deferred) ?? (mayDefer ? 'waiting' : 'not-needed'), deferredNote),
    step('notification', 'Notification', 'POST /notification', notification, stateOf(notification) ?? (issued ? 'optional' : 'waiting'),
      notification.length === 0 && issued ? 'The wallet sent no notification. It is optional (NOT-06), but tells the issuer whether the credential was stored.' : ''),
  ];
}
