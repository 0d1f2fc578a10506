import { calculateJwkThumbprint, type JWK } from 'jose';
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { verifyAttestationSigner, type TrustAnchor } from '../attestation/trust.ts';
import { attestationEntries, finding, type AttestationFinding } from '../diagnostics-attestation.ts';
import type { CheckOutcome } from './finding.ts';
import { decodeCompactJwt, isAsymmetricAlg, isObject, privateMembers } from './jose-helpers.ts';

// OID4VCI 1.0 Appendix D.1 (KA-01..07) with HAIP 1.0 Section 4.5.1 for the signer. Whether the
// nonce is a live c_nonce (KA-06) needs the store, and whether the proof key is attested (PRF-11,
// KA-09) needs the proof: the caller uses attestationNonceFinding and proofKeyAttested.

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
  warnings: AttestationFinding[];
  chainSteps: string[];
  checks: CheckOutcome[];
}

export type KeyAttestationResult =
  | { ok: true; value: ValidKeyAttestation }
  | { ok: false; finding: AttestationFinding; chainSteps: string[] };

const stringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0);

export async function checkKeyAttestation(jwt: unknown, expect: KeyAttestationExpectations): Promise<KeyAttestationResult> {
  let chainSteps: string[] = [];
  const fail = (id: AttestationFinding['id'], detail?: string): KeyAttestationResult => ({ ok: false, finding: finding(id, detail), chainSteps });
  const warnings: AttestationFinding[] = [];
  const decoded = decodeCompactJwt(jwt);
  if (!decoded) return fail('KA-01.malformed');
  const { header, payload } = decoded;

  if (header.typ === LEGACY_KEY_ATTESTATION_TYP) {
    const legacy = finding('KA-01.legacy_typ', `typ is "${LEGACY_KEY_ATTESTATION_TYP}"; OID4VCI 1.0 Appendix D.1 requires "${KEY_ATTESTATION_TYP}"`);
    if (expect.strict) return fail(legacy.id, `${legacy.detail} (strict offer)`);
    warnings.push(legacy);
  } else if (header.typ !== KEY_ATTESTATION_TYP) {
    return fail('KA-01.typ', `typ is ${JSON.stringify(header.typ)}, expected "${KEY_ATTESTATION_TYP}"`);
  }
  if (!isAsymmetricAlg(header.alg) || !expect.algs.includes(header.alg)) {
    return fail('KA-01.alg', `alg ${JSON.stringify(header.alg)} is not one of ${expect.algs.join(', ')}`);
  }

  const anchors = expect.anchors.filter((a) => a.kind === 'key_attestation');
  const signer = await verifyAttestationSigner(jwt as string, header, anchors, expect.nowMs);
  chainSteps = signer.steps;
  if (!signer.ok) return fail(`KA-02.${signer.code}`, signer.reason);
  if (signer.viaBareKey) {
    const bare = finding('KA-02.no_x5c', `signed by JWK anchor '${signer.anchor.label}' without x5c`);
    if (expect.strict) return fail(bare.id, `${bare.detail} (strict offer)`);
    warnings.push(bare);
  }

  const nowS = expect.nowMs / 1000;
  if (typeof payload.iat !== 'number') return fail('KA-03.iat', 'iat is missing or not a number');
  if (payload.iat > nowS + CLOCK_SKEW_S) return fail('KA-03.iat', `iat is ${Math.round(payload.iat - nowS)} s in the future`);
  if (payload.exp === undefined && expect.usedWith === 'jwt') return fail('KA-03.exp_missing');
  if (payload.exp !== undefined && typeof payload.exp !== 'number') return fail('KA-03.exp_missing', 'exp is not a number');
  if (typeof payload.exp === 'number' && payload.exp <= nowS - CLOCK_SKEW_S) return fail('KA-03.expired', `exp passed ${Math.round(nowS - payload.exp)} s ago`);
  if (typeof payload.nbf === 'number' && payload.nbf > nowS + CLOCK_SKEW_S) return fail('KA-03.expired', `nbf is ${Math.round(payload.nbf - nowS)} s in the future`);

  const keys = payload.attested_keys;
  if (!Array.isArray(keys) || keys.length === 0) return fail('KA-04.missing', keys === undefined ? 'attested_keys is missing' : 'attested_keys is not a non-empty array');
  const jkts: string[] = [];
  for (const [i, key] of keys.entries()) {
    if (!isObject(key) || typeof key.kty !== 'string') return fail('KA-04.invalid', `attested_keys[${i}] is not a JWK`);
    const secret = privateMembers(key as JWK);
    if (secret.length > 0) return fail('KA-04.private', `attested_keys[${i}] contains ${secret.join(', ')}`);
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' }); // throws unless a complete public key
      jkts.push(await calculateJwkThumbprint(key as JWK));
    } catch (error) {
      return fail('KA-04.invalid', `attested_keys[${i}]: ${(error as Error).message}`);
    }
  }

  for (const claim of ['key_storage', 'user_authentication'] as const) {
    const value = payload[claim];
    if (value !== undefined && !stringArray(value)) return fail('KA-05.format', `${claim} is not a non-empty array of strings`);
    const wanted = expect.accepted?.[claim];
    if (wanted && wanted.length > 0 && !(value as string[] | undefined)?.some((v) => wanted.includes(v))) {
      return fail(`KA-05.${claim}`, `${claim} is ${JSON.stringify(value ?? null)}; accepted: ${wanted.join(', ')}`);
    }
  }
  if (payload.status !== undefined && !isObject(payload.status)) return fail('KA-07.status', 'status is not an object');

  if (payload.nonce !== undefined && (typeof payload.nonce !== 'string' || payload.nonce.length === 0)) return fail('KA-06.missing', 'nonce is not a non-empty string');
  if (payload.nonce === undefined && expect.nonceRequired) return fail('KA-06.missing');

  const checks: CheckOutcome[] = ['KA-01', 'KA-02', 'KA-03', 'KA-04', 'KA-05', 'KA-07'].map((rule) => ({ rule, outcome: 'pass' as const }));
  for (const w of warnings) checks.push({ rule: attestationEntries[w.id].rule, outcome: 'warn', ...(w.detail ? { detail: w.detail } : {}) });
  return {
    ok: true,
    value: {
      header: header as Record<string, unknown>,
      payload: payload as Record<string, unknown>,
      attestedKeys: keys as JWK[],
      jkts,
      ...(typeof payload.nonce === 'string' ? { nonce: payload.nonce } : {}),
      anchor: signer.anchor,
      warnings,
      chainSteps,
      checks,
    },
  };
}

/** PRF-11 / KA-09: the jwt proof carrying the attestation must be signed by an attested key. */
export function proofKeyAttested(proofJkt: string, value: Pick<ValidKeyAttestation, 'jkts'>): AttestationFinding | null {
  return value.jkts.includes(proofJkt) ? null : finding('PRF-11.not_attested', `proof key ${proofJkt} is not among the ${value.jkts.length} attested key(s)`);
}

/**
 * KA-06 / PRF-11: the attestation nonce must be a live c_nonce. For the jwt form pass
 * `(n) => n === proof.nonce` after the proof's c_nonce was accepted; for the attestation proof
 * type, a store lookup. Absent nonces were already refused when a nonce endpoint exists.
 */
export function attestationNonceFinding(value: Pick<ValidKeyAttestation, 'nonce'>, isLiveCNonce: (nonce: string) => boolean): AttestationFinding | null {
  if (value.nonce === undefined || isLiveCNonce(value.nonce)) return null;
  return finding('KA-06.wrong', `nonce "${value.nonce.slice(0, 64)}" is not a valid c_nonce for this request`);
}
