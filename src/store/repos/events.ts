import type { SessionEvent } from '../../domain/session.ts';
import { json, parsed, sql, type Executor } from '../sql.ts';

type EventRow = Omit<SessionEvent, 'data'> & { data: string };

const insert = sql('INSERT INTO events (session_id, type, data, created_at) VALUES (?, ?, ?, ?)');
const list = sql('SELECT * FROM events WHERE session_id = ? ORDER BY id DESC');

export function eventRepo(db: Executor) {
  return {
    async add(sessionId: string, type: string, data: Record<string, unknown>, now: number): Promise<void> {
      await db.run(insert, [sessionId, type, json(data), now]);
      db.announce(sessionId);
    },
    /** Newest first. */
    async list(sessionId: string): Promise<SessionEvent[]> {
      return (await db.all<EventRow>(list, [sessionId])).map((row) => ({ ...row, data: parsed<Record<string, unknown>>(row.data) }));
    },
  };
}
