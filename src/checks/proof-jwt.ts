import type { JWK } from 'jose';
import { resolveDidKey } from './did.ts';
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
import { proofKeyFromX5c } from './proof-x5c.ts';

// OID4VCI 1.0 Appendix F.1 / F.4. Whether the nonce is a live c_nonce (PRF-08) depends on stored
// state: the caller looks the returned nonce up and adds cNonceFinding.

export const PROOF_MAX_AGE_S = 300;
export const PROOF_MAX_FUTURE_S = 30;

export interface ProofExpectations {
  issuer: string;
  algs: readonly string[];
  nowMs: number;
  /** The client_id the token was issued to; null for anonymous pre-authorized access, where iss must be absent (PRF-10). */
  clientId: string | null;
  /** cryptographic_binding_methods_supported of the configuration (PRF-06); jwk when not given. */
  bindingMethods?: readonly string[];
}

export interface ValidJwtProof {
  jwk: JWK;
  /** The DID (without fragment) when the key came as a did:jwk or did:key kid. */
  did?: string;
  jkt: string;
  nonce: string;
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
}

export function checkJwtProof(jwt: unknown, expect: ProofExpectations): Checked<ValidJwtProof> {
  const f = new Findings();
  const decoded = decodeCompactJwt(jwt);
  if (!decoded) return f.fail('PRF-00.malformed');
  const { header, payload } = decoded;

  if (header.typ !== 'openid4vci-proof+jwt')
    return f.fail('PRF-01', `typ is ${JSON.stringify(header.typ)}, expected "openid4vci-proof+jwt"`);
  f.pass('PRF-01');
  if (!isAsymmetricAlg(header.alg) || !expect.algs.includes(header.alg)) {
    return f.fail('PRF-02', `alg ${JSON.stringify(header.alg)} is not one of ${expect.algs.join(', ')}`);
  }
  f.pass('PRF-02');
  const keySources = (['kid', 'jwk', 'x5c'] as const).filter((name) => header[name] !== undefined);
  if (keySources.length !== 1) {
    return f.fail(
      'PRF-03',
      keySources.length === 0 ? 'none of kid, jwk, x5c is present' : `both ${keySources.join(' and ')} are present`,
    );
  }
  // PRF-03 passes once the key is found: a did or x5c that names none fails it instead.
  const methods = expect.bindingMethods ?? ['jwk'];
  // A jwk or x5c key is bound as itself: cnf.jwk, or the COSE_Key device key of an mdoc.
  const bindsKey = methods.includes('jwk') || methods.includes('cose_key');
  let jwk: JWK;
  let did: string | undefined;
  if (keySources[0] === 'kid') {
    const kid = header.kid;
    const method = typeof kid === 'string' && kid.startsWith('did:') ? `did:${kid.split(':')[1]}` : undefined;
    if (method === undefined || !methods.includes(method)) f.pass('PRF-03');
    if (method === undefined)
      return f.fail('PRF-06', `kid ${JSON.stringify(kid)} is not a DID URL; a kid alone names no key here`);
    if (!methods.includes(method))
      return f.fail('PRF-06.did_method', `kid is a ${method} DID URL; this configuration binds to ${methods.join(', ')}`);
    const resolved = resolveDidKey(kid as string);
    f.add(resolved.findings.filter((finding) => finding.outcome !== 'fail'));
    if (!resolved.ok) return f.fail(resolved.failure.diagnostic, resolved.failure.detail);
    ({ jwk, did } = resolved.value);
  } else if (keySources[0] === 'x5c') {
    if (!bindsKey) {
      f.pass('PRF-03');
      return f.fail('PRF-06', `key given as x5c; this configuration binds to ${methods.join(', ')}`);
    }
    const leaf = proofKeyFromX5c(header.x5c, expect.nowMs);
    f.add(leaf.findings.filter((finding) => finding.outcome !== 'fail'));
    if (!leaf.ok) return f.fail(leaf.failure.diagnostic, leaf.failure.detail);
    f.pass('PRF-06');
    jwk = leaf.value.jwk;
  } else {
    f.pass('PRF-03');
    if (!bindsKey || !isObject(header.jwk))
      return f.fail('PRF-06', `key given as ${keySources[0]}; this configuration binds to ${methods.join(', ')}`);
    f.pass('PRF-06');
    jwk = header.jwk as JWK;
    const secret = privateMembers(jwk);
    if (secret.length > 0) return f.fail('PRF-04', `jwk contains ${secret.join(', ')}`);
    f.pass('PRF-04');
  }

  const key = publicKeyFor(jwk, header.alg);
  const badSignature = typeof key === 'string' ? key : verifyCompactJws(jwt as string, key, header.alg);
  if (badSignature) return f.fail('PRF-05', badSignature);
  f.pass('PRF-05');

  if (typeof payload.aud !== 'string' || payload.aud !== expect.issuer)
    return f.fail('PRF-07', `aud is ${JSON.stringify(payload.aud)}, expected "${expect.issuer}"`);
  f.pass('PRF-07');
  const nowS = expect.nowMs / 1000;
  if (typeof payload.iat !== 'number') return f.fail('PRF-09', 'iat is missing or not a number');
  if (payload.iat < nowS - PROOF_MAX_AGE_S || payload.iat > nowS + PROOF_MAX_FUTURE_S) {
    return f.fail('PRF-09', `iat is ${Math.round(payload.iat - nowS)} s from the server clock`);
  }
  f.pass('PRF-09');
  if (payload.iss !== undefined && payload.iss !== expect.clientId) {
    return f.fail(
      'PRF-10',
      expect.clientId === null
        ? `iss is ${JSON.stringify(payload.iss)} but access is anonymous`
        : `iss is ${JSON.stringify(payload.iss)}, client_id is "${expect.clientId}"`,
    );
  }
  f.pass('PRF-10');
  if (typeof payload.nonce !== 'string' || payload.nonce.length === 0) return f.fail('PRF-08.missing');

  return f.ok({
    jwk,
    ...(did ? { did } : {}),
    jkt: jwkThumbprint(jwk),
    nonce: payload.nonce,
    header: header as Record<string, unknown>,
    payload: payload as Record<string, unknown>,
  });
}

/** How a c_nonce stands when the server looked it up (PRF-08): unknown, spent, expired or live. */
export type CNonceState = 'unknown' | 'consumed' | 'expired' | 'live';

const NONCE_PROBLEMS: Record<Exclude<CNonceState, 'live'>, string> = {
  unknown: 'never issued by the nonce endpoint',
  consumed: 'already used for an issued credential',
  expired: 'expired',
};

/** PRF-08 for the nonce of a proof, given how the server found it. */
export function cNonceFinding(state: CNonceState): Finding {
  return state === 'live' ? { rule: 'PRF-08', outcome: 'pass' } : failure('PRF-08.unknown', `c_nonce ${NONCE_PROBLEMS[state]}`);
}

/** PRF-14: each key binds at most one credential, so a batch needs distinct keys. */
export function distinctKeysFinding(jkts: readonly string[]): Finding {
  const distinct = new Set(jkts).size;
  return distinct === jkts.length
    ? { rule: 'PRF-14', outcome: 'pass' }
    : failure('PRF-14', `${jkts.length} proofs, ${distinct} distinct keys`);
}
