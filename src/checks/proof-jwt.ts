import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import { fail, pass, type Checked } from './finding.ts';
import { decodeCompactJwt, isAsymmetricAlg, isObject, privateMembers } from './jose-helpers.ts';

// OID4VCI 1.0 Appendix F.1 / F.4. Whether the nonce is a live c_nonce (PRF-08)
// needs the store, so the caller checks the returned nonce.

export const PROOF_MAX_AGE_S = 300;
export const PROOF_MAX_FUTURE_S = 30;

export interface ProofExpectations {
  issuer: string;
  algs: readonly string[];
  nowMs: number;
  /** The client_id the token was issued to; null for anonymous pre-authorized access, where iss must be absent (PRF-10). */
  clientId: string | null;
}

export interface ValidJwtProof {
  jwk: JWK;
  jkt: string;
  nonce: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export async function checkJwtProof(jwt: unknown, expect: ProofExpectations): Promise<Checked<ValidJwtProof>> {
  const decoded = decodeCompactJwt(jwt);
  if (!decoded) return fail('PRF-00.malformed');
  const { header, payload } = decoded;

  if (header.typ !== 'openid4vci-proof+jwt') {
    return fail('PRF-01', `typ is ${JSON.stringify(header.typ)}, expected "openid4vci-proof+jwt"`);
  }
  if (!isAsymmetricAlg(header.alg) || !expect.algs.includes(header.alg)) {
    return fail('PRF-02', `alg ${JSON.stringify(header.alg)} is not one of ${expect.algs.join(', ')}`);
  }
  const keySources = (['kid', 'jwk', 'x5c'] as const).filter((name) => header[name] !== undefined);
  if (keySources.length !== 1) {
    return fail('PRF-03', keySources.length === 0 ? 'none of kid, jwk, x5c is present' : `both ${keySources.join(' and ')} are present`);
  }
  if (keySources[0] !== 'jwk' || !isObject(header.jwk)) {
    return fail('PRF-06', `key given as ${keySources[0]}; this configuration binds to a jwk`);
  }
  const jwk = header.jwk as JWK;
  const secret = privateMembers(jwk);
  if (secret.length > 0) return fail('PRF-04', `jwk contains ${secret.join(', ')}`);

  try {
    await compactVerify(jwt as string, await importJWK(jwk, header.alg));
  } catch (error) {
    return fail('PRF-05', (error as Error).message);
  }

  if (typeof payload.aud !== 'string' || payload.aud !== expect.issuer) {
    return fail('PRF-07', `aud is ${JSON.stringify(payload.aud)}, expected "${expect.issuer}"`);
  }
  const nowS = expect.nowMs / 1000;
  if (typeof payload.iat !== 'number') return fail('PRF-09', 'iat is missing or not a number');
  if (payload.iat < nowS - PROOF_MAX_AGE_S || payload.iat > nowS + PROOF_MAX_FUTURE_S) {
    return fail('PRF-09', `iat is ${Math.round(payload.iat - nowS)} s from the server clock`);
  }
  if (payload.iss !== undefined && payload.iss !== expect.clientId) {
    return fail('PRF-10', expect.clientId === null ? `iss is ${JSON.stringify(payload.iss)} but access is anonymous` : `iss is ${JSON.stringify(payload.iss)}, client_id is "${expect.clientId}"`);
  }
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0) return fail('PRF-08.missing');

  return pass({
    jwk,
    jkt: await calculateJwkThumbprint(jwk),
    nonce: payload.nonce,
    header: header as Record<string, unknown>,
    payload: payload as Record<string, unknown>,
  });
}
