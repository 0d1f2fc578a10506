import type { Db } from './database.ts';
import type { StoreChanges } from './index.ts';

export interface SessionEvent {
  id: number;
  session_id: string;
  type: string;
  data: Record<string, unknown>;
  created_at: number;
}

interface EventRow extends Omit<SessionEvent, 'data'> {
  data: string;
}

export function eventRepo(db: Db, changes: StoreChanges) {
  const insert = db.prepare('INSERT INTO events (session_id, type, data, created_at) VALUES (?, ?, ?, ?)');
  const list = db.prepare<[string], EventRow>('SELECT * FROM events WHERE session_id = ? ORDER BY id DESC');
  return {
    add(sessionId: string, type: string, data: Record<string, unknown>, now: number): void {
      insert.run(sessionId, type, JSON.stringify(data), now);
      changes.announce(sessionId);
    },
    list(sessionId: string): SessionEvent[] {
      return list.all(sessionId).map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> }));
    },
  };
}
