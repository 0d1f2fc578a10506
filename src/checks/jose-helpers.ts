import { decodeJwt, decodeProtectedHeader, type JWK, type JWTPayload, type ProtectedHeaderParameters } from 'jose';

const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export interface DecodedJwt {
  header: ProtectedHeaderParameters;
  payload: JWTPayload;
}

/** Decodes without verifying; undefined when the value is not a compact JWS with JSON parts. */
export function decodeCompactJwt(value: unknown): DecodedJwt | undefined {
  if (typeof value !== 'string' || value.length > 16384 || !COMPACT_JWS.test(value)) return undefined;
  try {
    return { header: decodeProtectedHeader(value), payload: decodeJwt(value) };
  } catch {
    return undefined;
  }
}

export function privateMembers(jwk: JWK): string[] {
  return PRIVATE_JWK_MEMBERS.filter((member) => member in jwk);
}

export function isAsymmetricAlg(alg: unknown): alg is string {
  return typeof alg === 'string' && alg !== 'none' && !/^HS/i.test(alg);
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
