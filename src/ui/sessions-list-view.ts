// The sessions list: newest first, paged, filterable by status, with error counts and last activity.

import { type SessionStatus, sessionStatuses } from '../domain/session.ts';
import type { Store } from '../store/index.ts';
import type { SessionScope } from '../store/repos/sessions.ts';
import { type TimeView, timeView } from './format.ts';
import { PAGE_SIZE, type Pager, pageNumber, pager } from './paging.ts';
import { grantLabel } from './session-summary.ts';

export interface SessionsListView {
  title: string;
  rows: Array<{
    id: string;
    href: string;
    status: string;
    grant: string;
    configurationIds: string[];
    created: TimeView;
    lastActivity: TimeView;
    errorCount: number;
  }>;
  statuses: Array<{ value: string; label: string; selected: boolean }>;
  filtered: boolean;
  /** The operator's view: every session, not only this browser's. */
  everyone: boolean;
  action: string;
  pager: Pager;
}

/** scope: the viewer's workspace, null for the operator (every session), undefined for a browser that has none yet. */
export async function buildSessionsList(
  store: Store,
  basePath: string,
  scope: SessionScope | undefined,
  query: { status?: string; page?: string },
  now: number,
): Promise<SessionsListView> {
  const status = sessionStatuses.includes(query.status as SessionStatus) ? (query.status as SessionStatus) : null;
  const page = pageNumber(query.page);
  const { total, sessions } =
    scope === undefined
      ? { total: 0, sessions: [] }
      : await store.sessions.list(scope, status, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const counts = scope === undefined ? {} : await store.sessions.countByStatus(scope);
  const all = Object.values(counts).reduce((a, b) => a + b, 0);
  return {
    title: 'Sessions',
    everyone: scope === null,
    rows: sessions.map((s) => ({
      id: s.id,
      href: `${basePath}/sessions/${s.id}`,
      status: s.status,
      grant: grantLabel(s),
      configurationIds: s.credential_configuration_ids,
      created: timeView(s.created_at, now),
      lastActivity: timeView(s.last_activity_at, now),
      errorCount: s.error_count,
    })),
    statuses: [
      { value: '', label: `All statuses (${all})`, selected: status === null },
      ...sessionStatuses.map((value) => ({ value, label: `${value} (${counts[value] ?? 0})`, selected: value === status })),
    ],
    filtered: status !== null,
    action: `${basePath}/sessions`,
    pager: pager(total, page, `${basePath}/sessions`, { keep: { status: status ?? undefined } }),
  };
}
