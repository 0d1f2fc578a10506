// The session page's view model, built in one place so the page, its live updates and later sections share it.
import type { IssuerContext } from '../issuance/issuer-context.ts';
import { offerLinks } from '../issuance/offers.ts';
import type { Store } from '../store/index.ts';
import { prettyJson, timeView, type TimeView } from './format.ts';
import { buildLogList, type LogListView, type LogQuery } from './log-list-view.ts';
import { demandsOf, grantLabel } from './session-summary.ts';
import { buildTimeline, type TimelineStep } from './timeline.ts';
import { buildReport } from '../report/report.ts';
import { reportView, type ReportView } from './report-view.ts';

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
  /** Issue 3's "Supply Claims" and other features append here; rendered between the timeline and the logs. */
  extraSections: ExtraSection[];
}

export async function buildSessionView(store: Store, issuer: IssuerContext, sessionId: string, query: LogQuery, now: number): Promise<SessionPageView | undefined> {
  const session = await store.sessions.get(sessionId);
  if (!session) return undefined;
  const base = `${issuer.basePath}/sessions/${session.id}`;
  const [exchanges, offer, events, findings] = await Promise.all([
    store.logs.exchanges(session.id),
    store.offers.forSession(session.id),
    store.events.list(session.id),
    store.logs.rules(session.id),
  ]);
  const links = offer ? offerLinks(issuer, offer.id, session.id) : null;
  const report = buildReport(session, findings);
  const lastRequest = exchanges.at(-1)?.created_at ?? 0;
  return {
    title: `Session ${session.id}`,
    session: {
      id: session.id,
      status: session.status,
      grant: grantLabel(session),
      configurationIds: session.credential_configuration_ids,
      demands: demandsOf(session),
      created: timeView(session.created_at, now),
      lastActivity: timeView(Math.max(session.updated_at, lastRequest), now),
      offerLink: links?.offer_link ?? null,
      credentialOfferUri: links?.credential_offer_uri ?? null,
    },
    hrefs: { offer: `${base}/offer`, api: `${issuer.basePath}/api/sessions/${session.id}`, download: `${base}/download`, reload: base },
    // Events come newest first; the timeline reads them in order.
    timeline: buildTimeline([...events].reverse(), exchanges, new Set(report.rules.filter((r) => r.outcome === 'fail').map((r) => r.id)), now),
    report: reportView(report, { diagnostics: `${issuer.basePath}/diagnostics`, page: base, report: `${base}/report`, json: `${issuer.basePath}/api/sessions/${session.id}/report` }),
    logs: await buildLogList(store, session.id, query, { page: base, stream: `${base}/events`, diagnostics: `${issuer.basePath}/diagnostics` }, now),
    events: events.map((event) => ({ time: timeView(event.created_at, now), type: event.type, json: prettyJson(event.data) })),
    extraSections: [],
  };
}
