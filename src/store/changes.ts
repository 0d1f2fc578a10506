import { EventEmitter } from 'node:events';

/**
 * Announces committed changes of a session's status, events or logs ('change' with the session id;
 * null for the unassigned log), so live pages update. SQLite emits in this process after commit;
 * PostgreSQL delivers NOTIFY to every node, this one included.
 */
export class StoreChanges extends EventEmitter {
  constructor() {
    super();
    this.setMaxListeners(0);
  }

  emitChange(sessionId: string | null): void {
    this.emit('change', sessionId);
  }
}
