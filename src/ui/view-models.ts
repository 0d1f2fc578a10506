import type { LogEntry } from '../store/logs.ts';
import type { SessionEvent } from '../store/events.ts';

export const PAGE_SIZE = 50;

export function utc(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function pageNumber(raw: unknown): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

export interface Pager {
  page: number;
  pages: number;
  total: number;
  newerHref?: string;
  olderHref?: string;
}

export function pager(total: number, page: number, baseHref: string): Pager {
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return {
    page,
    pages,
    total,
    ...(page > 1 ? { newerHref: `${baseHref}?page=${page - 1}` } : {}),
    ...(page < pages ? { olderHref: `${baseHref}?page=${page + 1}` } : {}),
  };
}

export function logRow(entry: LogEntry) {
  return {
    time: utc(entry.created_at),
    level: entry.level,
    endpoint: entry.endpoint,
    message: entry.message,
    json: Object.keys(entry.data).length > 0 ? JSON.stringify(entry.data, null, 2) : '',
  };
}

export function eventRow(event: SessionEvent) {
  return { time: utc(event.created_at), type: event.type, json: JSON.stringify(event.data) };
}
