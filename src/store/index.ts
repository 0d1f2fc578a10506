import { openDatabase, type Db } from './database.ts';
import { accessTokenRepo } from './access-tokens.ts';
import { issuedCredentialRepo } from './credentials.ts';
import { eventRepo } from './events.ts';
import { issuerKeyRepo } from './issuer-keys.ts';
import { logRepo } from './logs.ts';
import { nonceRepo } from './nonces.ts';
import { offerRepo } from './offers.ts';
import { preAuthorizedCodeRepo } from './pre-authorized-codes.ts';
import { sessionRepo } from './sessions.ts';

export type Store = ReturnType<typeof createStore>;

function createStore(db: Db) {
  return {
    db,
    sessions: sessionRepo(db),
    events: eventRepo(db),
    logs: logRepo(db),
    offers: offerRepo(db),
    codes: preAuthorizedCodeRepo(db),
    tokens: accessTokenRepo(db),
    nonces: nonceRepo(db),
    credentials: issuedCredentialRepo(db),
    issuerKeys: issuerKeyRepo(db),
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
