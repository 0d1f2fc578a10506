import type { RequestedCredential } from './authorization-details.ts';
import { type Checked, Findings } from './finding.ts';

// grant_type=refresh_token at /token (RFC 6749 Section 6), after client authentication and DPoP
// proof verification. Refresh tokens rotate; all tokens rotated from one authorization form a family.

/** H-13: HAIP 1.0 Section 4.4 names no limit; a month bounds how long one consent keeps issuing. */
export const REFRESH_FAMILY_MAX_AGE_S = 30 * 24 * 3600;

export interface RefreshTokenRecord {
  familyId: string;
  clientId: string;
  /** The DPoP key of the family (public clients, RFC 9449 Section 5); null when it is unbound. */
  dpopJkt: string | null;
  /** cnf.jwk thumbprint of the wallet attestation the family was issued with (WA-13); null without one. */
  clientInstanceJkt: string | null;
  authorized: RequestedCredential[];
  /** When the user consented, i.e. the code grant that started the family. */
  familyIssuedAt: number;
  expiresAt: number;
  /** Set when a refresh replaced this token with its successor. */
  rotatedAt: number | null;
  revokedAt: number | null;
}

export interface RefreshGrantRequest {
  refreshToken: string | undefined;
  /** The attested sub, else the client_id parameter; null when the client did not identify itself. */
  clientId: string | null;
  /** Thumbprint of this request's verified DPoP proof. */
  dpopJkt: string | undefined;
  /** cnf.jwk thumbprint of this request's verified wallet attestation. */
  attestationJkt: string | undefined;
  txCode: string | undefined;
}

export interface ValidRefreshGrant {
  familyId: string;
  authorized: RequestedCredential[];
}

/** On TOK-20.replayed the caller revokes every token of the family (RFC 9700 Section 4.14.2). */
export type RefreshGrantResult = Checked<ValidRefreshGrant> & { revokeFamily: boolean };

export function checkRefreshGrant(
  request: RefreshGrantRequest,
  record: RefreshTokenRecord | undefined,
  nowMs: number,
): RefreshGrantResult {
  const result = refreshGrant(request, record, nowMs);
  return { ...result, revokeFamily: !result.ok && result.failure.diagnostic === 'TOK-20.replayed' };
}

/**
 * The binding (client, DPoP key, client instance key) is checked before the token's state: only a
 * requester holding the bound keys can trigger the family revocation of a replay, so a token stolen
 * without its key cannot be used to log the wallet out.
 */
function refreshGrant(
  request: RefreshGrantRequest,
  record: RefreshTokenRecord | undefined,
  nowMs: number,
): Checked<ValidRefreshGrant> {
  const f = new Findings();
  if (request.txCode !== undefined) return f.fail('TOK-06.grant');
  if (request.refreshToken === undefined) return f.fail('TOK-20.missing');
  if (!record) return f.fail('TOK-20.unknown');
  if (request.clientId === null) return f.fail('TOK-12.missing');
  f.pass('TOK-12');
  if (request.clientId !== record.clientId)
    return f.fail('TOK-20.client', `client_id "${request.clientId.slice(0, 100)}", token of "${record.clientId.slice(0, 100)}"`);
  if (record.dpopJkt !== null) {
    if (request.dpopJkt === undefined) return f.fail('TOK-20.no_proof');
    if (request.dpopJkt !== record.dpopJkt)
      return f.fail('TOK-20.dpop_key', `proof key ${request.dpopJkt}, family bound to ${record.dpopJkt}`);
  }
  if (record.clientInstanceJkt !== null) {
    if (request.attestationJkt === undefined) return f.fail('WA-13.missing');
    if (request.attestationJkt !== record.clientInstanceJkt)
      return f.fail('WA-13.key', `attestation cnf key ${request.attestationJkt}, family bound to ${record.clientInstanceJkt}`);
    f.pass('WA-13');
  }

  const agoS = (at: number) => Math.round((nowMs - at) / 1000);
  if (record.revokedAt !== null) return f.fail('TOK-20.revoked', `revoked ${agoS(record.revokedAt)} s ago`);
  if (record.rotatedAt !== null) return f.fail('TOK-20.replayed', `replaced ${agoS(record.rotatedAt)} s ago`);
  if (nowMs >= record.expiresAt) return f.fail('TOK-20.expired', `expired ${agoS(record.expiresAt)} s ago`);
  f.pass('TOK-20');
  if (nowMs - record.familyIssuedAt > REFRESH_FAMILY_MAX_AGE_S * 1000) {
    return f.fail(
      'H-13',
      `consent given ${Math.floor(agoS(record.familyIssuedAt) / 86400)} days ago; at most ${REFRESH_FAMILY_MAX_AGE_S / 86400} accepted`,
    );
  }
  f.pass('H-13');
  return f.ok({ familyId: record.familyId, authorized: record.authorized });
}
