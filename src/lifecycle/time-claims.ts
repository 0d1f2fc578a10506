// OID4VCI 1.0 Section 15.4.1 (FMT-ALL-01): time claims of a credential are rounded so that the
// credentials of a batch, or of one user's successive requests, cannot be told apart or linked by
// the second they were issued in.

/**
 * An hour: coarse enough that every credential issued within it carries the same times, fine
 * enough that a tester still recognises the iat of what they just issued. The specification's
 * example, the start of the day, suits production issuers better.
 */
export const TIME_CLAIM_GRANULARITY_S = 3600;

export interface TimeClaims {
  iat: number;
  nbf?: number;
  exp?: number;
}

export function roundDown(seconds: number, granularity: number = TIME_CLAIM_GRANULARITY_S): number {
  if (!Number.isInteger(granularity) || granularity <= 0)
    throw new RangeError(`granularity ${granularity} is not a positive integer`);
  return Math.floor(seconds / granularity) * granularity;
}

/**
 * iat, nbf and exp rounded down to the granularity: the credential seems issued a little earlier
 * and lives up to one granularity shorter, never longer. A validity shorter than that granularity
 * would leave exp at or before the real issuance time, so it is refused.
 */
export function roundTimeClaims<T extends TimeClaims>(claims: T, granularity: number = TIME_CLAIM_GRANULARITY_S): T {
  const rounded: T = { ...claims, iat: roundDown(claims.iat, granularity) };
  if (claims.nbf !== undefined) rounded.nbf = roundDown(claims.nbf, granularity);
  if (claims.exp !== undefined) {
    rounded.exp = roundDown(claims.exp, granularity);
    if (rounded.exp <= claims.iat)
      throw new RangeError(`validity ${claims.exp - claims.iat} s is shorter than the rounding granularity ${granularity} s`);
  }
  return rounded;
}
