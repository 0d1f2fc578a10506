// The flow at a glance. Each step's state comes from the session's events (what the issuer did);
// its attempts, with HTTP status and latency, from the session's request records.
import type { SessionEvent } from '../domain/session.ts';
import type { Exchange } from '../store/repos/logs.ts';
import { timeView, type TimeView } from './format.ts';

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
const NOTIFICATION_EVENTS = new Set(['credential_accepted', 'credential_failure', 'credential_deleted']);

function step(key: string, title: string, endpoint: string, attempts: Attempt[], state: StepState, note = ''): TimelineStep {
  const hidden = Math.max(0, attempts.length - MAX_ATTEMPTS_SHOWN);
  return { key, title, endpoint, state, stateLabel: STATE_LABELS[state], attempts: attempts.slice(hidden), hiddenAttempts: hidden, note };
}

/** The state a step's events give it; with attempts but no event, the last attempt's answer decides. */
function decided(done: boolean, attempts: Attempt[], otherwise: StepState): StepState {
  if (done) return 'ok';
  if (attempts.length > 0) return attempts.at(-1)!.status === 202 ? 'pending' : 'failed';
  return otherwise;
}

export function buildTimeline(events: readonly SessionEvent[], exchanges: readonly Exchange[], failedRules: ReadonlySet<string>, now: number): TimelineStep[] {
  const happened = (type: string) => events.some((e) => e.type === type);
  const attemptsAt = (endpoint: string): Attempt[] =>
    exchanges
      .filter((x) => x.endpoint === endpoint)
      .map((x) => {
        const status = x.http_status;
        return { time: timeView(x.created_at, now), status, durationMs: x.duration_ms, ok: status !== null && status < 400, logHref: `#log-${x.id}` };
      });
  const offer = attemptsAt('/credential_offers/:id');
  const token = attemptsAt('/token');
  const credential = attemptsAt('/credential');
  const deferred = attemptsAt('/deferred_credential');
  const notification = attemptsAt('/notification');

  const tokenIssued = happened('token_exchanged');
  const deferredAccepted = happened('awaiting_claims');
  const issuedEvents = events.filter((e) => e.type === 'credential_issued');
  const issuedNow = issuedEvents.some((e) => e.data.transaction_id === undefined);
  const issuedDeferred = issuedEvents.some((e) => e.data.transaction_id !== undefined);
  const denied = happened('credential_denied');
  const issued = issuedEvents.length > 0;

  const nonceTimes = events.filter((e) => e.type === 'credential_issued' || e.type === 'awaiting_claims').flatMap((e) => (Array.isArray(e.data.c_nonces_issued_at) ? (e.data.c_nonces_issued_at as number[]) : []));
  const inferredNote = 'Nonce requests carry no session, so this step is inferred from the c_nonces the credential requests spent.';
  const nonce = nonceTimes.length > 0
    ? step('nonce', 'Nonce', '/nonce', nonceTimes.map((t) => ({ time: timeView(t, now), status: null, durationMs: null, ok: true, logHref: '#timeline' })), 'inferred', `${inferredNote} Times are when each c_nonce was issued.`)
    : failedRules.has('PRF-08')
      ? step('nonce', 'Nonce', '/nonce', [], 'skipped', `No credential request carried a valid c_nonce (PRF-08): the wallet may never have called the nonce endpoint. ${inferredNote}`)
      : step('nonce', 'Nonce', '/nonce', [], credential.length > 0 ? 'unknown' : 'waiting', credential.length > 0 ? `No credential request has spent a c_nonce yet. ${inferredNote}` : inferredNote);

  const polls = exchanges.findLast((x) => x.polls)?.polls;
  const measured = polls && polls.gaps > 0 ? Math.round(polls.gap_sum_ms / polls.gaps / 100) / 10 : null;
  const pollNote = polls
    ? `Polled ${polls.polls} time(s) while pending${measured !== null ? `, every ${measured} s on average` : ''} (interval ${polls.interval_s} s).`
    : deferredAccepted ? 'The wallet has not polled the deferred endpoint yet.' : 'Only used when the credential endpoint answers 202.';
  const deferredState: StepState = issuedDeferred ? 'ok' : denied ? 'failed' : deferredAccepted ? (deferred.length > 0 ? 'pending' : 'waiting') : 'not-needed';
  const notified = events.some((e) => NOTIFICATION_EVENTS.has(e.type));

  return [
    step('offer', 'Offer retrieved', 'GET /credential_offers/:id', offer, decided(happened('offer_retrieved'), offer, tokenIssued ? 'skipped' : 'waiting'),
      !happened('offer_retrieved') && tokenIssued ? 'The wallet never fetched the offer by reference; it got the pre-authorized code some other way.' : ''),
    step('metadata', 'Metadata', 'GET /.well-known/…', [], token.length > 0 ? 'inferred' : 'unknown',
      `Metadata requests carry no session, so they are not in this log.${token.length > 0 ? ' The wallet reached the token endpoint, so it had the metadata.' : ''}`),
    step('token', 'Token', 'POST /token', token, decided(tokenIssued, token, 'waiting')),
    nonce,
    // A 202 completes this step; the deferred step then carries the wait.
    step('credential', 'Credential', 'POST /credential', credential, decided(issuedNow || deferredAccepted, credential, 'waiting'),
      deferredAccepted ? 'The credential endpoint answered 202: issuance is deferred.' : ''),
    step('deferred', 'Deferred credential', 'POST /deferred_credential', deferred, deferredState, denied ? 'The issuance was refused (credential_request_denied).' : pollNote),
    step('notification', 'Notification', 'POST /notification', notification, notified ? 'ok' : notification.length > 0 ? 'failed' : issued ? 'optional' : 'waiting',
      !notified && notification.length === 0 && issued ? 'The wallet sent no notification. It is optional (NOT-06), but tells the issuer whether the credential was stored.' : ''),
  ];
}
