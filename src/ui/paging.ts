// Page numbers and newer/older links that keep the page's other query parameters (filters).
import { ProtocolError } from '../diagnostics/index.ts';

export const PAGE_SIZE = 50;
/** Log entries are the heaviest rows to render (decoded JWTs and their checks). */
export const LOG_PAGE_SIZE = 25;

const MAX_PAGE = 100_000;

/** A page number from a query; anything but a whole number from 1 to MAX_PAGE is the client's mistake (400). */
export function pageNumber(raw: unknown): number {
  if (raw === undefined || raw === '') return 1;
  const n = typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (n >= 1 && n <= MAX_PAGE) return n;
  throw new ProtocolError('HTTP.bad_page', `page ${JSON.stringify(raw).slice(0, 40)}`);
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  newerHref?: string;
  olderHref?: string;
}

/** A query string from the non-empty values, with a leading '?' (or '' when there are none). */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

interface PagerOptions {
  /** Query parameters the links keep (filters). */
  keep?: Record<string, string | undefined>;
  /** The name of the page number in links, for a page with two paged lists (logs and events). */
  param?: string;
  pageSize?: number;
}

export function pager(
  total: number,
  page: number,
  baseHref: string,
  { keep: filters = {}, param = 'page', pageSize = PAGE_SIZE }: PagerOptions = {},
): Pager {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const href = (n: number) => `${baseHref}${queryString({ ...filters, [param]: n === 1 ? undefined : n })}`;
  return {
    page,
    pages,
    total,
    ...(page > 1 ? { newerHref: href(page - 1) } : {}),
    ...(page < pages ? { olderHref: href(page + 1) } : {}),
  };
}
