import { EventEmitter } from 'node:events';
import { anchorRepo } from '../attestation/anchors-store.ts';
import { openDatabase, type Db } from './database.ts';
import { accessTokenRepo } from './access-tokens.ts';
import { issuedCredentialRepo } from './credentials.ts';
import { deferredTransactionRepo } from './deferred-transactions.ts';
import { logAggregateRepo } from './log-aggregates.ts';
import { notificationRepo } from './notifications.ts';
import { eventRepo } from './events.ts';
import { issuerKeyRepo } from './issuer-keys.ts';
import { logRepo } from './logs.ts';
import { nonceRepo } from './nonces.ts';
import { offerRepo } from './offers.ts';
import { preAuthorizedCodeRepo } from './pre-authorized-codes.ts';
import { sessionRepo } from './sessions.ts';

export type Store = ReturnType<typeof createStore>;

/**
 * Announces that a session's status, events or logs changed ('session' with the id; 'logs' with
 * null for the unassigned stream), so pages can update live. Emitted after the current
 * synchronous transaction has finished, so listeners read committed data.
 */
export class StoreChanges extends EventEmitter {
  announce(sessionId: string | null): void {
    queueMicrotask(() => this.emit('change', sessionId));
  }
}

function createStore(db: Db) {
  const changes = new StoreChanges();
  changes.setMaxListeners(0);
  return {
    db,
    changes,
    sessions: sessionRepo(db, changes),
    events: eventRepo(db, changes),
    logs: logRepo(db, changes),
    logAggregates: logAggregateRepo(db, changes),
    deferred: deferredTransactionRepo(db),
    notifications: notificationRepo(db),
    anchors: anchorRepo(db),
    offers: offerRepo(db),
    codes: preAuthorizedCodeRepo(db),
    tokens: accessTokenRepo(db),
    nonces: nonceRepo(db),
    credentials: issuedCredentialRepo(db),
    issuerKeys: issuerKeyRepo(db),
    /** Throws when the database cannot answer (the health check). */
    ping(): void {
      db.prepare('SELECT 1').get();
    },
    /** Runs fn in one IMMEDIATE transaction: a state change and its event commit together or not at all. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },
    close(): void {
      db.close();
    },
  };
}

export function openStore(path: string): Store {
  return createStore(openDatabase(path));
}
