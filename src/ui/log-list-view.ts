// A filterable, paged, live list of log entries: the session page and the unassigned-requests page share it.
import type { LogFilter, LogLevel } from '../domain/log.ts';
import type { Store } from '../store/index.ts';
import { type LogEntryView, loadLogContext, logEntryView } from './log-entry-view.ts';
import { LOG_PAGE_SIZE, type Pager, pageNumber, pager, queryString } from './paging.ts';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LogQuery {
  page?: string;
  level?: string;
  endpoint?: string;
}

export interface LogListView {
  entries: LogEntryView[];
  pager: Pager;
  filter: {
    action: string;
    levels: Array<{ value: string; label: string; selected: boolean }>;
    endpoints: Array<{ value: string; label: string; selected: boolean }>;
    active: boolean;
  };
  /** Server-Sent Events URL for entries newer than the newest shown; null on older pages. */
  liveUrl: string | null;
}

/** Only values the page offered are used; anything else means "no filter". */
export function logFilterFrom(query: LogQuery, endpoints: string[]): LogFilter {
  return {
    ...(LOG_LEVELS.includes(query.level as LogLevel) ? { level: query.level as LogLevel } : {}),
    ...(query.endpoint && endpoints.includes(query.endpoint) ? { endpoint: query.endpoint } : {}),
  };
}

export async function buildLogList(
  store: Store,
  sessionId: string | null,
  query: LogQuery,
  hrefs: { page: string; stream: string; diagnostics: string },
  now: number,
): Promise<LogListView> {
  const endpoints = await store.logs.endpoints(sessionId);
  const filter = logFilterFrom(query, endpoints);
  const page = pageNumber(query.page);
  const logs = await store.logs.filteredPage(sessionId, filter, LOG_PAGE_SIZE, (page - 1) * LOG_PAGE_SIZE);
  const context = await loadLogContext(store, logs.entries, hrefs.diagnostics, now);
  const filterParams = { level: filter.level, endpoint: filter.endpoint };
  // An empty first page means nothing matches yet, so the stream may start from the beginning.
  const newestId = logs.entries[0]?.id ?? 0;
  return {
    entries: logs.entries.map((entry) => logEntryView(entry, context)),
    pager: pager(logs.total, page, hrefs.page, { keep: filterParams, pageSize: LOG_PAGE_SIZE }),
    filter: {
      action: hrefs.page,
      levels: [
        { value: '', label: 'All levels', selected: !filter.level },
        ...LOG_LEVELS.map((level) => ({ value: level, label: level, selected: level === filter.level })),
      ],
      endpoints: [
        { value: '', label: 'All endpoints', selected: !filter.endpoint },
        ...endpoints.map((e) => ({ value: e, label: e, selected: e === filter.endpoint })),
      ],
      active: filter.level !== undefined || filter.endpoint !== undefined,
    },
    liveUrl: page === 1 ? `${hrefs.stream}${queryString({ ...filterParams, after: newestId })}` : null,
  };
}
