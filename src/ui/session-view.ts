// The session page's view model, built in one place so the page, its live updates and later sections share it.
import type { IssuerContext } from '../issuance/issuer-context.ts';
import { linkInput, offerLinks } from '../issuance/offers.ts';
import { sessionReport } from '../report/report.ts';
import type { Store } from '../store/index.ts';
import { prettyJson, type TimeView, timeView } from './format.ts';
import { buildLogList, type LogListView, type LogQuery } from './log-list-view.ts';
import { PAGE_SIZE, type Pager, pageNumber, pager } from './paging.ts';
import { type ReportView, reportView } from './report-view.ts';
import { demandsOf, grantLabel } from './session-summary.ts';
import { buildTimeline, lastExchangeAt, loadTimelineFacts, type TimelineStep } from './timeline.ts';

/** The session page's query: the log list's, and the page of the events list. */
export type SessionQuery = LogQuery & { events_page?: string };

/** A section another feature adds to the session page: a partial under views/ and its data. */
export interface ExtraSection {
  partial: string;
  data: Record<string, unknown>;
}

export interface SessionPageView {
  title: string;
  session: {
    id: string;
    status: string;
    grant: string;
    configurationIds: string[];
    demands: string[];
    created: TimeView;
    lastActivity: TimeView;
    offerLink: string | null;
    credentialOfferUri: string | null;
  };
  hrefs: { offer: string; api: string; download: string; reload: string };
  timeline: TimelineStep[];
  report: ReportView;
  logs: LogListView;
  events: Array<{ time: TimeView; type: string; json: string }>;
  eventsPager: Pager;
  /** Issue 3's "Supply Claims" and other features append here; rendered between the timeline and the logs. */
  extraSections: ExtraSection[];
}

export type SessionSummaryView = Omit<SessionPageView, 'logs'>;

/** The session page without its log list: what live updates re-render when the session changes. */
export async function buildSessionSummary(
  store: Store,
  issuer: IssuerContext,
  sessionId: string,
  query: SessionQuery,
  now: number,
): Promise<SessionSummaryView | undefined> {
  const session = await store.sessions.get(sessionId);
  if (!session) return undefined;
  const base = `${issuer.basePath}/sessions/${session.id}`;
  const eventsPage = pageNumber(query.events_page);
  const [facts, offer, events, report] = await Promise.all([
    loadTimelineFacts(store, session.id),
    store.offers.forSession(session.id),
    store.events.page(session.id, PAGE_SIZE, (eventsPage - 1) * PAGE_SIZE),
    sessionReport(store, session),
  ]);
  const links = offer ? offerLinks(issuer, offer.id, session.id, linkInput(session.options, offer.credential_offer)) : null;
  const eventTotal = [...facts.eventCounts.values()].reduce((a, b) => a + b, 0);
  const logFilters = { level: query.level, endpoint: query.endpoint, page: query.page };
  return {
    title: `Session ${session.id}`,
    session: {
      id: session.id,
      status: session.status,
      grant: grantLabel(session),
      configurationIds: session.credential_configuration_ids,
      demands: demandsOf(session),
      created: timeView(session.created_at, now),
      lastActivity: timeView(Math.max(session.updated_at, lastExchangeAt(facts)), now),
      offerLink: links?.offer_link ?? null,
      credentialOfferUri: links?.credential_offer_uri ?? null,
    },
    hrefs: {
      offer: `${base}/offer`,
      api: `${issuer.basePath}/api/sessions/${session.id}`,
      download: `${base}/download`,
      reload: base,
    },
    timeline: buildTimeline(facts, new Set(report.rules.filter((r) => r.outcome === 'fail').map((r) => r.id)), now, {
      authorizationCode: session.options.authorization_code !== undefined,
      autoApproval: session.options.authorization_code?.approval === 'auto',
    }),
    report: reportView(report, {
      diagnostics: `${issuer.basePath}/diagnostics`,
      page: base,
      report: `${base}/report`,
      json: `${issuer.basePath}/api/sessions/${session.id}/report`,
    }),
    events: events.map((event) => ({ time: timeView(event.created_at, now), type: event.type, json: prettyJson(event.data) })),
    eventsPager: pager(eventTotal, eventsPage, base, { keep: logFilters, param: 'events_page' }),
    extraSections: [],
  };
}

export async function buildSessionView(
  store: Store,
  issuer: IssuerContext,
  sessionId: string,
  query: SessionQuery,
  now: number,
): Promise<SessionPageView | undefined> {
  const summary = await buildSessionSummary(store, issuer, sessionId, query, now);
  if (!summary) return undefined;
  const base = summary.hrefs.reload;
  const logs = await buildLogList(
    store,
    sessionId,
    query,
    { page: base, stream: `${base}/events`, diagnostics: `${issuer.basePath}/diagnostics` },
    now,
  );
  // The stream re-renders the events list, so it must know which page of it this page shows.
  const eventsPage = summary.eventsPager.page;
  const liveUrl = logs.liveUrl && eventsPage > 1 ? `${logs.liveUrl}&events_page=${eventsPage}` : logs.liveUrl;
  return { ...summary, logs: { ...logs, liveUrl } };
}
