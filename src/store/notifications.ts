import type { Db } from './database.ts';

export const notificationEvents = ['credential_accepted', 'credential_failure', 'credential_deleted'] as const;
export type NotificationEvent = (typeof notificationEvents)[number];

export interface NotificationRecord {
  notification_id: string;
  session_id: string;
  credential_configuration_id: string;
  event: NotificationEvent | null;
  event_description: string | null;
  created_at: number;
  updated_at: number | null;
}

export function notificationRepo(db: Db) {
  const insert = db.prepare('INSERT INTO notifications (notification_id, session_id, credential_configuration_id, created_at) VALUES (?, ?, ?, ?)');
  const byId = db.prepare<[string], NotificationRecord>('SELECT * FROM notifications WHERE notification_id = ?');
  const record = db.prepare('UPDATE notifications SET event = ?, event_description = ?, updated_at = ? WHERE notification_id = ?');
  return {
    insert(notificationId: string, sessionId: string, configurationId: string, now: number): void {
      insert.run(notificationId, sessionId, configurationId, now);
    },
    get(notificationId: string): NotificationRecord | undefined {
      return byId.get(notificationId);
    },
    record(notificationId: string, event: NotificationEvent, description: string | null, now: number): void {
      record.run(event, description, now, notificationId);
    },
  };
}
