import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import { createHash } from 'node:crypto';
import { fail, pass, type Checked } from './finding.ts';
import { decodeCompactJwt, isAsymmetricAlg, isObject, privateMembers } from './jose-helpers.ts';

// RFC 9449 Section 4.3. Replay (DPOP-10) and server nonces (DPOP-13) need the
// store, so the caller checks them with the values returned here.

export const DPOP_MAX_AGE_S = 300;
export const DPOP_MAX_FUTURE_S = 30;

export interface DpopExpectations {
  htm: string;
  htu: string;
  nowMs: number;
  algs: readonly string[];
  /** Present at resource endpoints: the proof must carry its ath (DPOP-11). */
  accessToken?: string;
}

export interface ValidDpopProof {
  jkt: string;
  jwk: JWK;
  jti: string;
  htu: string;
  iat: number;
  nonce?: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

/**
 * DPOP-08 (RFC 3986 Sections 6.2.2, 6.2.3): scheme and host compare case-insensitively,
 * default ports drop, percent-encoded unreserved characters decode, query and fragment are ignored.
 */
export function normalizeHtu(value: string): string | undefined {
  try {
    const url = new URL(value);
    const path = url.pathname.replace(/%([0-9a-fA-F]{2})/g, (escape, hex: string) => {
      const char = String.fromCharCode(parseInt(hex, 16));
      return /[A-Za-z0-9\-._~]/.test(char) ? char : escape.toUpperCase();
    });
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return undefined;
  }
}

export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

export async function checkDpopProof(headerValues: string[], expect: DpopExpectations): Promise<Checked<ValidDpopProof>> {
  if (headerValues.length > 1) return fail('DPOP-01.multiple', `${headerValues.length} DPoP headers`);
  const jwt = headerValues[0]!;
  const decoded = decodeCompactJwt(jwt);
  if (!decoded) return fail('DPOP-01.malformed');
  const { header, payload } = decoded;

  if (header.typ !== 'dpop+jwt') return fail('DPOP-02', `typ is ${JSON.stringify(header.typ)}, expected "dpop+jwt"`);
  if (!isAsymmetricAlg(header.alg) || !expect.algs.includes(header.alg)) {
    return fail('DPOP-03', `alg ${JSON.stringify(header.alg)} is not one of ${expect.algs.join(', ')}`);
  }
  if (!isObject(header.jwk)) return fail('DPOP-04.missing');
  const jwk = header.jwk as JWK;
  const secret = privateMembers(jwk);
  if (secret.length > 0) return fail('DPOP-04.private', `jwk contains ${secret.join(', ')}`);

  try {
    await compactVerify(jwt, await importJWK(jwk, header.alg));
  } catch (error) {
    return fail('DPOP-05', (error as Error).message);
  }

  const missing = ['jti', 'htm', 'htu', 'iat'].filter((claim) => payload[claim] === undefined);
  if (expect.accessToken !== undefined && payload.ath === undefined) missing.push('ath');
  if (missing.length > 0) return fail('DPOP-06', `missing ${missing.join(', ')}`);
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
    return fail('DPOP-06', 'jti must be a non-empty string of at most 256 characters');
  }
  if (payload.htm !== expect.htm) return fail('DPOP-07', `htm is ${JSON.stringify(payload.htm)}, request method is ${expect.htm}`);
  const htu = typeof payload.htu === 'string' ? normalizeHtu(payload.htu) : undefined;
  if (htu !== normalizeHtu(expect.htu)) return fail('DPOP-08', `htu is ${JSON.stringify(payload.htu)}, expected ${expect.htu}`);

  const nowS = expect.nowMs / 1000;
  if (typeof payload.iat !== 'number') return fail('DPOP-06', 'iat must be a number of seconds');
  if (payload.iat < nowS - DPOP_MAX_AGE_S || payload.iat > nowS + DPOP_MAX_FUTURE_S) {
    return fail('DPOP-09', `iat is ${Math.round(payload.iat - nowS)} s from the server clock`);
  }
  if (expect.accessToken !== undefined && payload.ath !== accessTokenHash(expect.accessToken)) {
    return fail('DPOP-11', 'ath does not match the access token in the Authorization header');
  }

  return pass({
    jkt: await calculateJwkThumbprint(jwk),
    jwk,
    jti: payload.jti,
    htu: htu!,
    iat: payload.iat,
    ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}),
    header: header as Record<string, unknown>,
    payload: payload as Record<string, unknown>,
  });
}
