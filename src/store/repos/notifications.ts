import type { NotificationEvent, NotificationRecord } from '../../domain/issuance.ts';
import { type Executor, sql } from '../sql.ts';

const insert = sql(
  'INSERT INTO notifications (notification_id, session_id, credential_configuration_id, created_at) VALUES (?, ?, ?, ?)',
);
const byId = sql('SELECT * FROM notifications WHERE notification_id = ?');
const record = sql('UPDATE notifications SET event = ?, event_description = ?, updated_at = ? WHERE notification_id = ?');

export function notificationRepo(db: Executor) {
  return {
    async insert(notificationId: string, sessionId: string, configurationId: string, now: number): Promise<void> {
      await db.run(insert, [notificationId, sessionId, configurationId, now]);
    },
    get(notificationId: string): Promise<NotificationRecord | undefined> {
      return db.get<NotificationRecord>(byId, [notificationId]);
    },
    async record(notificationId: string, event: NotificationEvent, description: string | null, now: number): Promise<void> {
      await db.run(record, [event, description, now, notificationId]);
    },
  };
}
