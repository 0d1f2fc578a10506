import { createHash } from 'node:crypto';
import type { JWK } from 'jose';
import { type Checked, type Finding, Findings, failure } from './finding.ts';
import {
  decodeCompactJwt,
  isAsymmetricAlg,
  isObject,
  jwkThumbprint,
  privateMembers,
  publicKeyFor,
  verifyCompactJws,
} from './jose-helpers.ts';

// RFC 9449 Section 4.3. Replay (DPOP-10) and server nonces (DPOP-13) depend on stored state: the
// caller looks the values up and turns them into findings with dpopNonceFinding / dpopReplayFinding.

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
    const path = url.pathname.replace(/%([0-9a-fA-F]{2})/g, (encoded, hex: string) => {
      const char = String.fromCharCode(parseInt(hex, 16));
      return /[A-Za-z0-9\-._~]/.test(char) ? char : encoded.toUpperCase();
    });
    return `${url.protocol}//${url.host}${path}`;
  } catch {
    return undefined;
  }
}

export function accessTokenHash(token: string): string {
  return createHash('sha256').update(token, 'ascii').digest('base64url');
}

export function checkDpopProof(headerValues: readonly string[], expect: DpopExpectations): Checked<ValidDpopProof> {
  const f = new Findings();
  if (headerValues.length > 1) return f.fail('DPOP-01.multiple', `${headerValues.length} DPoP headers`);
  const jwt = headerValues[0]!;
  const decoded = decodeCompactJwt(jwt);
  if (!decoded) return f.fail('DPOP-01.malformed');
  f.pass('DPOP-01');
  const { header, payload } = decoded;

  if (header.typ !== 'dpop+jwt') return f.fail('DPOP-02', `typ is ${JSON.stringify(header.typ)}, expected "dpop+jwt"`);
  f.pass('DPOP-02');
  if (!isAsymmetricAlg(header.alg) || !expect.algs.includes(header.alg)) {
    return f.fail('DPOP-03', `alg ${JSON.stringify(header.alg)} is not one of ${expect.algs.join(', ')}`);
  }
  f.pass('DPOP-03');
  if (!isObject(header.jwk)) return f.fail('DPOP-04.missing');
  const jwk = header.jwk as JWK;
  const secret = privateMembers(jwk);
  if (secret.length > 0) return f.fail('DPOP-04.private', `jwk contains ${secret.join(', ')}`);
  f.pass('DPOP-04');

  const key = publicKeyFor(jwk, header.alg);
  const badSignature = typeof key === 'string' ? key : verifyCompactJws(jwt, key, header.alg);
  if (badSignature) return f.fail('DPOP-05', badSignature);
  f.pass('DPOP-05');

  const missing = ['jti', 'htm', 'htu', 'iat'].filter((claim) => payload[claim] === undefined);
  if (expect.accessToken !== undefined && payload.ath === undefined) missing.push('ath');
  if (missing.length > 0) return f.fail('DPOP-06', `missing ${missing.join(', ')}`);
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
    return f.fail('DPOP-06', 'jti must be a non-empty string of at most 256 characters');
  }
  if (typeof payload.iat !== 'number') return f.fail('DPOP-06', 'iat must be a number of seconds');
  f.pass('DPOP-06');
  if (payload.htm !== expect.htm)
    return f.fail('DPOP-07', `htm is ${JSON.stringify(payload.htm)}, request method is ${expect.htm}`);
  f.pass('DPOP-07');
  const htu = typeof payload.htu === 'string' ? normalizeHtu(payload.htu) : undefined;
  if (htu === undefined || htu !== normalizeHtu(expect.htu))
    return f.fail('DPOP-08', `htu is ${JSON.stringify(payload.htu)}, expected ${expect.htu}`);
  f.pass('DPOP-08');

  const nowS = expect.nowMs / 1000;
  if (payload.iat < nowS - DPOP_MAX_AGE_S || payload.iat > nowS + DPOP_MAX_FUTURE_S) {
    return f.fail('DPOP-09', `iat is ${Math.round(payload.iat - nowS)} s from the server clock`);
  }
  f.pass('DPOP-09');
  if (expect.accessToken !== undefined) {
    if (payload.ath !== accessTokenHash(expect.accessToken))
      return f.fail('DPOP-11', 'ath does not match the access token in the Authorization header');
    f.pass('DPOP-11');
  }

  return f.ok({
    jkt: jwkThumbprint(jwk),
    jwk,
    jti: payload.jti,
    htu,
    iat: payload.iat,
    ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}),
    header: header as Record<string, unknown>,
    payload: payload as Record<string, unknown>,
  });
}

/** DPOP-13 once the server looked the proof's nonce up: fails unless it is one the server issued and still valid. */
export function dpopNonceFinding(nonce: string | undefined, known: boolean): Finding {
  if (nonce === undefined) return failure('DPOP-13', 'the proof has no nonce claim');
  return known ? { rule: 'DPOP-13', outcome: 'pass' } : failure('DPOP-13', 'the nonce is unknown or expired');
}

/** DPOP-10 once the server tried to remember the jti: fails when it had been seen at this URI. */
export function dpopReplayFinding(jti: string, htu: string, fresh: boolean): Finding {
  return fresh
    ? { rule: 'DPOP-10', outcome: 'pass' }
    : failure('DPOP-10', `jti "${jti.slice(0, 64)}" was already used at ${htu}`);
}
