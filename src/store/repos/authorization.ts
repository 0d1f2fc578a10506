import type { RequestedCredential } from '../../checks/authorization-details.ts';
import type {
  AuthorizationCodeRow,
  CodeGrantData,
  ParRecord,
  PushedRequest,
  RefreshTokenRow,
} from '../../domain/authorization.ts';
import { type Executor, json, parsed, sql } from '../sql.ts';

// The authorization code flow's single-use rows. Every consumption is a conditional UPDATE, so of
// racing requests (or nodes) exactly one wins.

const insertIssuerState = sql('INSERT INTO issuer_states (issuer_state, session_id, expires_at) VALUES (?, ?, ?)');
const issuerStateSession = sql('SELECT session_id FROM issuer_states WHERE issuer_state = ? AND expires_at > ?');
const issuerStateOf = sql('SELECT issuer_state FROM issuer_states WHERE session_id = ? LIMIT 1');

const insertPar = sql(
  'INSERT INTO par_requests (reference_hash, session_id, client_id, request, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)',
);
const parByHash = sql('SELECT * FROM par_requests WHERE reference_hash = ?');
const usePar = sql('UPDATE par_requests SET used_at = ? WHERE reference_hash = ? AND used_at IS NULL AND expires_at > ?');
const decidePar = sql(
  'UPDATE par_requests SET decided_at = ? WHERE reference_hash = ? AND decided_at IS NULL AND used_at IS NOT NULL',
);

const insertCode = sql(
  'INSERT INTO authorization_codes (code_hash, session_id, client_id, grant_data, issued_at) VALUES (?, ?, ?, ?, ?)',
);
const codeByHash = sql('SELECT * FROM authorization_codes WHERE code_hash = ?');
const redeemCode = sql('UPDATE authorization_codes SET redeemed_at = ? WHERE code_hash = ? AND redeemed_at IS NULL');

const insertRefresh = sql(
  `INSERT INTO refresh_tokens (token_hash, session_id, family_id, client_id, dpop_jkt, client_instance_jkt, authorized, family_issued_at, created_at, expires_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const refreshByHash = sql('SELECT * FROM refresh_tokens WHERE token_hash = ?');
const rotateRefresh = sql(
  'UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ? AND rotated_at IS NULL AND revoked_at IS NULL',
);
const revokeRefreshFamily = sql('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE family_id = ?');
const revokeAccessFamily = sql('UPDATE access_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE family_id = ?');

type ParRow = Omit<ParRecord, 'request'> & { request: string };
type CodeRow = Omit<AuthorizationCodeRow, 'grant'> & { grant_data: string };
type RefreshRow = Omit<RefreshTokenRow, 'authorized'> & { authorized: string };

export function authorizationRepo(db: Executor) {
  return {
    async addIssuerState(issuerState: string, sessionId: string, expiresAt: number): Promise<void> {
      await db.run(insertIssuerState, [issuerState, sessionId, expiresAt]);
    },
    /** PAR-10: the session of an unexpired offer's issuer_state. */
    async sessionOfIssuerState(issuerState: string, now: number): Promise<string | undefined> {
      return (await db.get<{ session_id: string }>(issuerStateSession, [issuerState, now]))?.session_id;
    },
    async issuerStateOf(sessionId: string): Promise<string | undefined> {
      return (await db.get<{ issuer_state: string }>(issuerStateOf, [sessionId]))?.issuer_state;
    },

    async insertPar(
      referenceHash: string,
      sessionId: string,
      request: PushedRequest,
      now: number,
      expiresAt: number,
    ): Promise<void> {
      await db.run(insertPar, [referenceHash, sessionId, request.client_id, json(request), now, expiresAt]);
      db.announce(sessionId);
    },
    async getPar(referenceHash: string): Promise<ParRecord | undefined> {
      const row = await db.get<ParRow>(parByHash, [referenceHash]);
      return row && { ...row, request: parsed<PushedRequest>(row.request) };
    },
    /** AUTH-02: a request_uri opens one authorization; false when it was used or expired meanwhile. */
    async usePar(referenceHash: string, now: number): Promise<boolean> {
      return (await db.run(usePar, [now, referenceHash, now])) === 1;
    },
    /** The consent page decides once (Approve or Deny); false for a second submission. */
    async decidePar(referenceHash: string, now: number): Promise<boolean> {
      return (await db.run(decidePar, [now, referenceHash])) === 1;
    },

    async insertCode(codeHash: string, sessionId: string, clientId: string, grant: CodeGrantData, now: number): Promise<void> {
      await db.run(insertCode, [codeHash, sessionId, clientId, json(grant), now]);
      db.announce(sessionId);
    },
    async getCode(codeHash: string): Promise<AuthorizationCodeRow | undefined> {
      const row = await db.get<CodeRow>(codeByHash, [codeHash]);
      if (!row) return undefined;
      const { grant_data, ...rest } = row;
      return { ...rest, grant: parsed<CodeGrantData>(grant_data) };
    },
    async redeemCode(codeHash: string, now: number): Promise<boolean> {
      return (await db.run(redeemCode, [now, codeHash])) === 1;
    },

    async insertRefresh(t: Omit<RefreshTokenRow, 'rotated_at' | 'revoked_at'>): Promise<void> {
      await db.run(insertRefresh, [
        t.token_hash,
        t.session_id,
        t.family_id,
        t.client_id,
        t.dpop_jkt,
        t.client_instance_jkt,
        json(t.authorized),
        t.family_issued_at,
        t.created_at,
        t.expires_at,
      ]);
    },
    async getRefresh(tokenHash: string): Promise<RefreshTokenRow | undefined> {
      const row = await db.get<RefreshRow>(refreshByHash, [tokenHash]);
      return row && { ...row, authorized: parsed<RequestedCredential[]>(row.authorized) };
    },
    /** TOK-20: rotation is single-use; false when a racing refresh rotated it first. */
    async rotateRefresh(tokenHash: string, now: number): Promise<boolean> {
      return (await db.run(rotateRefresh, [now, tokenHash])) === 1;
    },
    /** RFC 9700 Section 4.14.2, RFC 6749 Section 10.5: every access and refresh token of a grant family. */
    async revokeFamily(familyId: string, now: number): Promise<{ refresh: number; access: number }> {
      const refresh = await db.run(revokeRefreshFamily, [now, familyId]);
      const access = await db.run(revokeAccessFamily, [now, familyId]);
      return { refresh, access };
    },
  };
}
