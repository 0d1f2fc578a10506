import type { SessionEvent } from '../../domain/session.ts';
import { type Executor, json, parsed, sql } from '../sql.ts';

type EventRow = Omit<SessionEvent, 'data'> & { data: string };

const insert = sql('INSERT INTO events (session_id, type, data, created_at) VALUES (?, ?, ?, ?)');
const list = sql('SELECT * FROM events WHERE session_id = ? ORDER BY id DESC');
const page = sql('SELECT * FROM events WHERE session_id = ? ORDER BY id DESC LIMIT ? OFFSET ?');
const countsByType = sql('SELECT type, COUNT(*) AS n FROM events WHERE session_id = ? GROUP BY type');
const recentOfType = sql('SELECT * FROM events WHERE session_id = ? AND type = ? ORDER BY id DESC LIMIT ?');

const toEvent = (row: EventRow): SessionEvent => ({ ...row, data: parsed<Record<string, unknown>>(row.data) });

export function eventRepo(db: Executor) {
  return {
    async add(sessionId: string, type: string, data: Record<string, unknown>, now: number): Promise<void> {
      await db.run(insert, [sessionId, type, json(data), now]);
      db.announce(sessionId);
    },
    /** Every event, newest first: the download. */
    async list(sessionId: string): Promise<SessionEvent[]> {
      return (await db.all<EventRow>(list, [sessionId])).map(toEvent);
    },
    /** One page, newest first. */
    async page(sessionId: string, limit: number, offset: number): Promise<SessionEvent[]> {
      return (await db.all<EventRow>(page, [sessionId, limit, offset])).map(toEvent);
    },
    /** How many events of each type the session has. */
    async countsByType(sessionId: string): Promise<Map<string, number>> {
      return new Map((await db.all<{ type: string; n: number }>(countsByType, [sessionId])).map((r) => [r.type, r.n]));
    },
    /** The newest `perType` events of each of `types`, oldest first: what the timeline reads of a long session. */
    async recentOfTypes(sessionId: string, types: readonly string[], perType: number): Promise<SessionEvent[]> {
      const found: EventRow[] = [];
      for (const type of types) found.push(...(await db.all<EventRow>(recentOfType, [sessionId, type, perType])));
      return found.sort((a, b) => a.id - b.id).map(toEvent);
    },
  };
}
