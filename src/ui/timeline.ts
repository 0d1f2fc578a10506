// The flow at a glance. Each step's state comes from the session's events (what the issuer did);
// its attempts, with HTTP status and latency, from the session's request records.
import type { PollsRecord } from '../domain/log.ts';
import type { SessionEvent } from '../domain/session.ts';
import type { Store } from '../store/index.ts';
import type { EndpointExchanges } from '../store/repos/logs.ts';
import { type TimeView, timeView } from './format.ts';

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
const NOTIFICATION_EVENTS = ['credential_accepted', 'credential_failure', 'credential_deleted'];
/** The endpoints whose requests the steps list. */
const STEP_ENDPOINTS = [
  '/credential_offers/:id',
  '/par',
  '/authorize',
  '/token',
  '/credential',
  '/deferred_credential',
  '/notification',
  '/status-lists',
];
/** Events that carry the c_nonces their credential request spent. */
const NONCE_EVENTS = new Set(['credential_issued', 'awaiting_claims']);

/** What the timeline reads of a session, however long: counts, and only the newest events and exchanges. */
export interface TimelineFacts {
  eventCounts: ReadonlyMap<string, number>;
  /** The newest events of each type that carries c_nonces, oldest first. */
  recentEvents: readonly SessionEvent[];
  exchanges: ReadonlyMap<string, EndpointExchanges>;
  /** The summary of the latest repeated deferred polls. */
  polls: PollsRecord | undefined;
}

export async function loadTimelineFacts(store: Store, sessionId: string): Promise<TimelineFacts> {
  const eventCounts = await store.events.countsByType(sessionId);
  const [recentEvents, exchanges, polls] = await Promise.all([
    store.events.recentOfTypes(sessionId, [...NONCE_EVENTS], MAX_ATTEMPTS_SHOWN),
    store.logs.recentExchanges(sessionId, STEP_ENDPOINTS, MAX_ATTEMPTS_SHOWN),
    // Only deferred sessions poll.
    eventCounts.has('awaiting_claims') ? store.logs.latestPolls(sessionId) : undefined,
  ]);
  return { eventCounts, recentEvents, exchanges, polls };
}

/** The newest request the session's log holds, at any endpoint. */
export function lastExchangeAt(facts: TimelineFacts): number {
  let latest = 0;
  for (const { recent } of facts.exchanges.values()) latest = Math.max(latest, recent.at(-1)?.created_at ?? 0);
  return latest;
}

interface Attempts {
  shown: Attempt[];
  /** Older ones the facts only counted. */
  earlier: number;
}

function step(key: string, title: string, endpoint: string, attempts: Attempts, state: StepState, note = ''): TimelineStep {
  const cut = Math.max(0, attempts.shown.length - MAX_ATTEMPTS_SHOWN);
  return {
    key,
    title,
    endpoint,
    state,
    stateLabel: STATE_LABELS[state],
    attempts: attempts.shown.slice(cut),
    hiddenAttempts: attempts.earlier + cut,
    note,
  };
}

const NONE: Attempts = { shown: [], earlier: 0 };

/** The state a step's events give it; with attempts but no event, the last attempt's answer decides. */
function decided(done: boolean, attempts: Attempts, otherwise: StepState): StepState {
  if (done) return 'ok';
  const last = attempts.shown.at(-1);
  if (last) return last.status === 202 ? 'pending' : 'failed';
  return otherwise;
}

/**
 * The authorization code flow's steps (PAR, authorize, consent, redirect), from its events:
 * par_received, authorization_started, consent_given / consent_denied and code_issued.
 */
function authorizationSteps(
  happened: (type: string) => boolean,
  par: Attempts,
  authorize: Attempts,
  autoApproval: boolean,
): TimelineStep[] {
  const denied = happened('consent_denied');
  const redirected = happened('code_issued');
  return [
    step('par', 'Pushed authorization request', 'POST /par', par, decided(happened('par_received'), par, 'waiting')),
    step('authorize', 'Authorize', 'GET /authorize', authorize, decided(happened('authorization_started'), authorize, 'waiting')),
    step(
      'consent',
      'Consent',
      'POST /authorize/consent',
      NONE,
      happened('consent_given')
        ? 'ok'
        : denied
          ? 'failed'
          : autoApproval && redirected
            ? 'not-needed'
            : happened('authorization_started')
              ? 'pending'
              : 'waiting',
      denied
        ? 'The tester denied the request: the wallet received access_denied.'
        : autoApproval
          ? 'Approved at once (approval auto).'
          : 'The tester approves or denies on the consent page.',
    ),
    step(
      'redirect',
      'Redirect with code',
      '303 → redirect_uri',
      NONE,
      redirected ? 'ok' : denied ? 'failed' : 'waiting',
      redirected ? 'The browser was sent to the wallet with code, state and iss.' : '',
    ),
  ];
}

export function buildTimeline(
  facts: TimelineFacts,
  failedRules: ReadonlySet<string>,
  now: number,
  flow: { authorizationCode?: boolean; autoApproval?: boolean } = {},
): TimelineStep[] {
  const happened = (type: string) => (facts.eventCounts.get(type) ?? 0) > 0;
  const attemptsAt = (endpoint: string): Attempts => {
    const at = facts.exchanges.get(endpoint);
    if (!at) return NONE;
    const shown = at.recent.map((x) => {
      const status = x.http_status;
      return {
        time: timeView(x.created_at, now),
        status,
        durationMs: x.duration_ms,
        ok: status !== null && status < 400,
        logHref: `#log-${x.id}`,
      };
    });
    return { shown, earlier: at.total - at.recent.length };
  };
  const offer = attemptsAt('/credential_offers/:id');
  const token = attemptsAt('/token');
  const credential = attemptsAt('/credential');
  const deferred = attemptsAt('/deferred_credential');
  const notification = attemptsAt('/notification');
  const statusChecks = attemptsAt('/status-lists');
  const attempted = (a: Attempts) => a.shown.length > 0;

  const tokenIssued = happened('token_exchanged');
  const deferredAccepted = happened('awaiting_claims');
  const issuedNow = happened('credential_issued');
  const issuedDeferred = happened('deferred_credential_issued');
  const denied = happened('credential_denied');
  const issued = issuedNow || issuedDeferred;

  const nonceEvents = facts.recentEvents.filter((e) => NONCE_EVENTS.has(e.type));
  const nonceTimes = nonceEvents
    .flatMap((e) => (Array.isArray(e.data.c_nonces_issued_at) ? (e.data.c_nonces_issued_at as number[]) : []))
    .sort((a, b) => a - b);
  const olderNonceEvents = [...NONCE_EVENTS].reduce((n, type) => n + (facts.eventCounts.get(type) ?? 0), 0) - nonceEvents.length;
  const inferredNote =
    'Nonce requests carry no session, so this step is inferred from the c_nonces the credential requests spent.';
  const nonce =
    nonceTimes.length > 0
      ? step(
          'nonce',
          'Nonce',
          '/nonce',
          {
            shown: nonceTimes.map((t) => ({
              time: timeView(t, now),
              status: null,
              durationMs: null,
              ok: true,
              logHref: '#timeline',
            })),
            earlier: olderNonceEvents,
          },
          'inferred',
          `${inferredNote} Times are when each c_nonce was issued.`,
        )
      : failedRules.has('PRF-08')
        ? step(
            'nonce',
            'Nonce',
            '/nonce',
            NONE,
            'skipped',
            `No credential request carried a valid c_nonce (PRF-08): the wallet may never have called the nonce endpoint. ${inferredNote}`,
          )
        : step(
            'nonce',
            'Nonce',
            '/nonce',
            NONE,
            attempted(credential) ? 'unknown' : 'waiting',
            attempted(credential) ? `No credential request has spent a c_nonce yet. ${inferredNote}` : inferredNote,
          );

  const polls = facts.polls;
  const measured = polls && polls.gaps > 0 ? Math.round(polls.gap_sum_ms / polls.gaps / 100) / 10 : null;
  const pollNote = polls
    ? `Polled ${polls.polls} time(s) while pending${measured !== null ? `, every ${measured} s on average` : ''} (interval ${polls.interval_s} s).`
    : deferredAccepted
      ? 'The wallet has not polled the deferred endpoint yet.'
      : 'Only used when the credential endpoint answers 202.';
  const deferredState: StepState = issuedDeferred
    ? 'ok'
    : denied
      ? 'failed'
      : deferredAccepted
        ? attempted(deferred)
          ? 'pending'
          : 'waiting'
        : 'not-needed';
  const notified = NOTIFICATION_EVENTS.some(happened);

  const codeFlow = flow.authorizationCode === true || happened('par_received');
  const refreshed = facts.eventCounts.get('token_refreshed') ?? 0;
  const codeSteps = codeFlow
    ? authorizationSteps(happened, attemptsAt('/par'), attemptsAt('/authorize'), flow.autoApproval === true)
    : [];
  const refreshStep =
    codeFlow || refreshed > 0
      ? [
          step(
            'refresh',
            'Refresh',
            'POST /token (refresh_token)',
            NONE,
            refreshed > 0 ? 'ok' : 'optional',
            refreshed > 0
              ? `${refreshed} refresh(es); refresh tokens rotate.`
              : 'Optional: the wallet refreshes its access token with the refresh token.',
          ),
        ]
      : [];
  return [
    ...(happened('wallet_initiated')
      ? []
      : [
          step(
            'offer',
            'Offer retrieved',
            'GET /credential_offers/:id',
            offer,
            decided(happened('offer_retrieved'), offer, tokenIssued ? 'skipped' : 'waiting'),
            !happened('offer_retrieved') && tokenIssued
              ? 'The wallet never fetched the offer by reference; it got the pre-authorized code some other way.'
              : '',
          ),
        ]),
    step(
      'metadata',
      'Metadata',
      'GET /.well-known/…',
      NONE,
      attempted(token) ? 'inferred' : 'unknown',
      `Metadata requests carry no session, so they are not in this log.${attempted(token) ? ' The wallet reached the token endpoint, so it had the metadata.' : ''}`,
    ),
    ...codeSteps,
    step('token', 'Token', 'POST /token', token, decided(tokenIssued, token, 'waiting')),
    ...refreshStep,
    nonce,
    // A 202 completes this step; the deferred step then carries the wait.
    step(
      'credential',
      'Credential',
      'POST /credential',
      credential,
      decided(issuedNow || deferredAccepted, credential, 'waiting'),
      deferredAccepted ? 'The credential endpoint answered 202: issuance is deferred.' : '',
    ),
    step(
      'deferred',
      'Deferred credential',
      'POST /deferred_credential',
      deferred,
      deferredState,
      denied ? 'The issuance was refused (credential_request_denied).' : pollNote,
    ),
    step(
      'notification',
      'Notification',
      'POST /notification',
      notification,
      notified ? 'ok' : attempted(notification) ? 'failed' : issued ? 'optional' : 'waiting',
      !notified && !attempted(notification) && issued
        ? 'The wallet sent no notification. It is optional (NOT-06), but tells the issuer whether the credential was stored.'
        : '',
    ),
    // Fetches of a status list holding this session's credentials (by a wallet or a verifier).
    step(
      'status',
      'Status list checked',
      'GET /status-lists/…',
      statusChecks,
      attempted(statusChecks) ? 'ok' : issued ? 'optional' : 'waiting',
      happened('credential_status_changed')
        ? 'A credential status was changed here; a fresh fetch of its list shows the new value.'
        : 'Revoke or suspend an issued credential below to see whether the wallet notices.',
    ),
  ];
}
