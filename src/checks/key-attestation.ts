import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { type TrustAnchor, verifyAttestationSigner } from '../attestation/trust.ts';
import { type Checked, type Finding, Findings, failure } from './finding.ts';
import { decodeCompactJwt, isAsymmetricAlg, isObject, jwkThumbprint, privateMembers } from './jose-helpers.ts';

// OID4VCI 1.0 Appendix D.1 (KA-01..07) with HAIP 1.0 Section 4.5.1 for the signer. Whether the
// nonce is a live c_nonce (KA-06) depends on stored state, and whether the proof key is attested
// (PRF-11, KA-09) on the proof: the caller adds attestationNonceFinding and proofKeyAttested.

export const KEY_ATTESTATION_TYP = 'key-attestation+jwt';
/** Written by @openid4vc/openid4vci 0.4.6 and other pre-1.0 wallets. */
export const LEGACY_KEY_ATTESTATION_TYP = 'keyattestation+jwt';
const CLOCK_SKEW_S = 30;

export interface KeyAttestationExpectations {
  /** proof_signing_alg_values_supported of the configuration (KA-01, PRF-13). */
  algs: readonly string[];
  nowMs: number;
  /** Global and session anchors; only key_attestation ones are used. */
  anchors: readonly TrustAnchor[];
  /** 'jwt': the key_attestation header of a jwt proof, where exp is required (KA-03). */
  usedWith: 'jwt' | 'attestation';
  /** The issuer has a nonce endpoint, so a nonce must be present (KA-06). */
  nonceRequired: boolean;
  /** Accepted key_storage / user_authentication values (PRF-12); listing none accepts any. */
  accepted?: { key_storage?: readonly string[]; user_authentication?: readonly string[] };
  /** Dialect warnings (pre-1.0 typ, bare-key signer) become rejections. */
  strict: boolean;
}

export interface ValidKeyAttestation {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  attestedKeys: JWK[];
  /** RFC 7638 thumbprints of attestedKeys, in the same order. */
  jkts: string[];
  nonce?: string;
  anchor: TrustAnchor;
}

/** The verdict, with every chain-building step for the log (also when it failed). */
export type KeyAttestationResult = Checked<ValidKeyAttestation> & { chainSteps: string[] };

const stringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0);

export async function checkKeyAttestation(jwt: unknown, expect: KeyAttestationExpectations): Promise<KeyAttestationResult> {
  let chainSteps: string[] = [];
  const f = new Findings();
  const fail = (id: Parameters<Findings['fail']>[0], detail?: string): KeyAttestationResult => ({
    ...f.fail(id, detail),
    chainSteps,
  });
  const decoded = decodeCompactJwt(jwt);
  if (!decoded) return fail('KA-01.malformed');
  const { header, payload } = decoded;

  if (header.typ === LEGACY_KEY_ATTESTATION_TYP) {
    const detail = `typ is "${LEGACY_KEY_ATTESTATION_TYP}"; OID4VCI 1.0 Appendix D.1 requires "${KEY_ATTESTATION_TYP}"`;
    if (expect.strict) return fail('KA-01.legacy_typ', `${detail} (strict offer)`);
    f.warn('KA-01.legacy_typ', detail);
  } else if (header.typ !== KEY_ATTESTATION_TYP) {
    return fail('KA-01.typ', `typ is ${JSON.stringify(header.typ)}, expected "${KEY_ATTESTATION_TYP}"`);
  }
  if (!isAsymmetricAlg(header.alg) || !expect.algs.includes(header.alg)) {
    return fail('KA-01.alg', `alg ${JSON.stringify(header.alg)} is not one of ${expect.algs.join(', ')}`);
  }
  if (header.typ === KEY_ATTESTATION_TYP) f.pass('KA-01');

  const anchors = expect.anchors.filter((a) => a.kind === 'key_attestation');
  const signer = await verifyAttestationSigner(jwt as string, header, anchors, expect.nowMs);
  chainSteps = signer.steps;
  if (!signer.ok) return fail(`KA-02.${signer.code}`, signer.reason);
  if (signer.viaBareKey) {
    const detail = `signed by JWK anchor '${signer.anchor.label}' without x5c`;
    if (expect.strict) return fail('KA-02.no_x5c', `${detail} (strict offer)`);
    f.warn('KA-02.no_x5c', detail);
  } else {
    f.pass('KA-02');
  }

  const nowS = expect.nowMs / 1000;
  if (typeof payload.iat !== 'number') return fail('KA-03.iat', 'iat is missing or not a number');
  if (payload.iat > nowS + CLOCK_SKEW_S) return fail('KA-03.iat', `iat is ${Math.round(payload.iat - nowS)} s in the future`);
  if (payload.exp === undefined && expect.usedWith === 'jwt') return fail('KA-03.exp_missing');
  if (payload.exp !== undefined && typeof payload.exp !== 'number') return fail('KA-03.exp_missing', 'exp is not a number');
  if (typeof payload.exp === 'number' && payload.exp <= nowS - CLOCK_SKEW_S)
    return fail('KA-03.expired', `exp passed ${Math.round(nowS - payload.exp)} s ago`);
  if (typeof payload.nbf === 'number' && payload.nbf > nowS + CLOCK_SKEW_S)
    return fail('KA-03.expired', `nbf is ${Math.round(payload.nbf - nowS)} s in the future`);
  f.pass('KA-03');

  const keys = payload.attested_keys;
  if (!Array.isArray(keys) || keys.length === 0)
    return fail('KA-04.missing', keys === undefined ? 'attested_keys is missing' : 'attested_keys is not a non-empty array');
  const jkts: string[] = [];
  for (const [i, key] of keys.entries()) {
    if (!isObject(key) || typeof key.kty !== 'string') return fail('KA-04.invalid', `attested_keys[${i}] is not a JWK`);
    const secret = privateMembers(key as JWK);
    if (secret.length > 0) return fail('KA-04.private', `attested_keys[${i}] contains ${secret.join(', ')}`);
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' }); // throws unless a complete public key
      jkts.push(jwkThumbprint(key as JWK));
    } catch (error) {
      return fail('KA-04.invalid', `attested_keys[${i}]: ${(error as Error).message}`);
    }
  }

  f.pass('KA-04');
  for (const claim of ['key_storage', 'user_authentication'] as const) {
    const value = payload[claim];
    if (value !== undefined && !stringArray(value)) return fail('KA-05.format', `${claim} is not a non-empty array of strings`);
    const wanted = expect.accepted?.[claim];
    if (wanted && wanted.length > 0 && !(value as string[] | undefined)?.some((v) => wanted.includes(v))) {
      return fail(`KA-05.${claim}`, `${claim} is ${JSON.stringify(value ?? null)}; accepted: ${wanted.join(', ')}`);
    }
  }
  f.pass('KA-05');
  if (payload.status !== undefined && !isObject(payload.status)) return fail('KA-07.status', 'status is not an object');
  f.pass('KA-07');

  if (payload.nonce !== undefined && (typeof payload.nonce !== 'string' || payload.nonce.length === 0))
    return fail('KA-06.missing', 'nonce is not a non-empty string');
  if (payload.nonce === undefined && expect.nonceRequired) return fail('KA-06.missing');

  return {
    ...f.ok({
      header: header as Record<string, unknown>,
      payload: payload as Record<string, unknown>,
      attestedKeys: keys as JWK[],
      jkts,
      ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}),
      anchor: signer.anchor,
    }),
    chainSteps,
  };
}

/** PRF-11 / KA-09: the jwt proof carrying the attestation must be signed by an attested key. */
export function proofKeyAttested(proofJkt: string, value: Pick<ValidKeyAttestation, 'jkts'>): Finding {
  return value.jkts.includes(proofJkt)
    ? { rule: 'PRF-11', outcome: 'pass' }
    : failure('PRF-11.not_attested', `proof key ${proofJkt} is not among the ${value.jkts.length} attested key(s)`);
}

/**
 * KA-06 / PRF-11: the attestation nonce must be a live c_nonce. For the jwt form, `live` is whether
 * it equals the proof's accepted c_nonce; for the attestation proof type, what the store says.
 */
export function attestationNonceFinding(nonce: string | undefined, live: boolean): Finding {
  if (nonce === undefined) return failure('KA-06.missing');
  return live
    ? { rule: 'KA-06', outcome: 'pass' }
    : failure('KA-06.wrong', `nonce "${nonce.slice(0, 64)}" is not a valid c_nonce for this request`);
}
