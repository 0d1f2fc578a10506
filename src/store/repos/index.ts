import type { Executor } from '../sql.ts';
import { anchorRepo } from './anchors.ts';
import { authorizationRepo } from './authorization.ts';
import { preAuthorizedCodeRepo } from './codes.ts';
import { issuedCredentialRepo } from './credentials.ts';
import { deferredTransactionRepo } from './deferred.ts';
import { requestEncryptionKeyRepo } from './encryption-keys.ts';
import { eventRepo } from './events.ts';
import { keyRepo } from './keys.ts';
import { logRepo } from './logs.ts';
import { nonceRepo } from './nonces.ts';
import { notificationRepo } from './notifications.ts';
import { offerRepo } from './offers.ts';
import { retentionRepo } from './retention.ts';
import { sessionRepo } from './sessions.ts';
import { statusListRepo } from './status-lists.ts';
import { accessTokenRepo } from './tokens.ts';

/** Every repository, bound to one executor: autocommit statements, or one transaction. */
export function repositories(db: Executor) {
  return {
    sessions: sessionRepo(db),
    events: eventRepo(db),
    logs: logRepo(db),
    offers: offerRepo(db),
    codes: preAuthorizedCodeRepo(db),
    tokens: accessTokenRepo(db),
    nonces: nonceRepo(db),
    deferred: deferredTransactionRepo(db),
    notifications: notificationRepo(db),
    credentials: issuedCredentialRepo(db),
    keys: keyRepo(db),
    anchors: anchorRepo(db),
    retention: retentionRepo(db),
    statusLists: statusListRepo(db),
    encryptionKeys: requestEncryptionKeyRepo(db),
    authorization: authorizationRepo(db),
  };
}

export type Repositories = ReturnType<typeof repositories>;
