import type { StatusListJWTHeaderParameters, StatusListJWTPayload } from '@sd-jwt/jwt-status-list';
import type { TokenStatusList } from './status-list.ts';
import { signX5cJwt, type X5cSigner } from './x5c-signer.ts';

// Status List Token in JWT format, draft-ietf-oauth-status-list-14 Section 5.1; served with
// Content-Type application/statuslist+jwt (Section 8.2).

export const STATUS_LIST_JWT_TYP = 'statuslist+jwt' satisfies StatusListJWTHeaderParameters['typ'];
export const STATUS_LIST_JWT_MEDIA_TYPE = `application/${STATUS_LIST_JWT_TYP}`;

export interface StatusListTokenOptions {
  /** The URI the token is served at: its sub, and the uri of every referencing status claim. */
  uri: string;
  now: number;
  /** How long a verifier may cache the token before fetching it again (ttl, RECOMMENDED). */
  ttlSeconds: number;
  /** How long the token stays valid at all (exp - iat, RECOMMENDED). */
  validForSeconds: number;
}

/** The claims of Section 5.1 (iat, exp in seconds); shared with the CWT form, which labels them. */
export function statusListTimes(options: StatusListTokenOptions): { iat: number; exp: number; ttl: number } {
  if (!(options.ttlSeconds > 0 && options.validForSeconds > 0)) throw new RangeError('ttl and validity must be positive');
  const iat = Math.floor(options.now / 1000);
  return { iat, exp: iat + options.validForSeconds, ttl: options.ttlSeconds };
}

export async function signStatusListJwt(
  list: TokenStatusList,
  options: StatusListTokenOptions,
  signer: X5cSigner,
): Promise<string> {
  const claims: StatusListJWTPayload = { sub: options.uri, ...statusListTimes(options), status_list: list.toJson() };
  return signX5cJwt(STATUS_LIST_JWT_TYP, claims, signer);
}
