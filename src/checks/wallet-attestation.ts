import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { type TrustAnchor, verifyAttestationSigner } from '../attestation/trust.ts';
import type { DiagnosticId } from '../diagnostics/index.ts';
import { type Checked, Findings } from './finding.ts';
import {
  type DecodedJwt,
  decodeCompactJwt,
  isAsymmetricAlg,
  isObject,
  jwkThumbprint,
  privateMembers,
  publicKeyFor,
  verifyCompactJws,
} from './jose-helpers.ts';

// Attestation-based client authentication, ABCA -07 Sections 5, 6 and 9 as pinned by OID4VCI 1.0
// (Appendix E), with HAIP 1.0 Section 4.4.1 for the signer. PoP jti replay (WA-07) and server
// challenges (WA-09) depend on stored state: the caller uses `jti`, `replayUntilMs` and `challenge`.

export const ATTESTATION_TYP = 'oauth-client-attestation+jwt';
export const POP_TYP = 'oauth-client-attestation-pop+jwt';
/** Default for both algorithm lists of WA-12 (AS metadata); HAIP 1.0 Section 7 requires ES256. */
export const CLIENT_ATTESTATION_ALGS: readonly string[] = ['ES256'];
const CLOCK_SKEW_S = 30;

export interface ClientAttestationExpectations {
  /** The authorization server's issuer identifier (RFC 8414), the PoP aud. */
  asIssuer: string;
  nowMs: number;
  /** Global and session anchors; only wallet_attestation ones are used. */
  anchors: readonly TrustAnchor[];
  /** The client_id request parameter, when sent (WA-08). */
  clientId?: string;
  /** Dialect warnings (ABCA ≥ -08 without iss, bare-key signer) become rejections. */
  strict: boolean;
  /** How old a PoP iat may be (WA-07). */
  maxAgeSeconds: number;
  /** Policy for the attestation's own iat (WA-10); undefined accepts any age until exp. */
  maxAttestationAgeSeconds?: number;
  /** Accepted attestation and PoP algs (WA-12 metadata lists); default ES256, which HAIP requires. */
  algs?: readonly string[];
}

export interface ValidClientAttestation {
  clientId: string;
  cnfJwk: JWK;
  cnfJkt: string;
  jti: string;
  /** Remember the jti (hashed, see popJtiHash) until then: after it the iat is stale anyway. */
  replayUntilMs: number;
  challenge?: string;
  attestation: { header: Record<string, unknown>; payload: Record<string, unknown> };
  pop: { header: Record<string, unknown>; payload: Record<string, unknown> };
  anchor: TrustAnchor;
}

/** The verdict, with every chain-building step for the log (also when it failed). */
export type ClientAttestationResult = Checked<ValidClientAttestation> & { chainSteps: string[] };

export const popJtiHash = (jti: string): string => createHash('sha256').update(jti).digest('base64url');

/** Header lines as Node gives them (request.headersDistinct); a line may list values separated by commas. */
function oneJwt(lines: readonly string[]): { jwt: string; decoded: DecodedJwt } | string {
  const values = lines
    .flatMap((line) => line.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
  if (values.length !== 1) return `${values.length} values, expected exactly one`;
  const decoded = decodeCompactJwt(values[0]);
  return decoded ? { jwt: values[0]!, decoded } : 'the value is not a compact JWT';
}

const asRecord = (d: DecodedJwt) => ({
  header: d.header as Record<string, unknown>,
  payload: d.payload as Record<string, unknown>,
});

export async function checkClientAttestation(
  headers: { attestation: readonly string[]; pop: readonly string[] },
  expect: ClientAttestationExpectations,
): Promise<ClientAttestationResult> {
  let chainSteps: string[] = [];
  const f = new Findings();
  const fail = (id: DiagnosticId, detail?: string): ClientAttestationResult => ({ ...f.fail(id, detail), chainSteps });
  // A dialect of another draft: a warning, or in a strict offer the rejection.
  const warn = (id: DiagnosticId, detail: string) => {
    if (expect.strict) return fail(id, `${detail} (strict offer)`);
    f.warn(id, detail);
    return undefined;
  };
  const algs = expect.algs ?? CLIENT_ATTESTATION_ALGS;
  const nowS = expect.nowMs / 1000;

  const attestation = oneJwt(headers.attestation);
  if (typeof attestation === 'string') return fail('WA-01.attestation', attestation);
  const pop = oneJwt(headers.pop);
  if (typeof pop === 'string') return fail('WA-01.pop', pop);
  f.pass('WA-01');
  const { header: ah, payload: ap } = attestation.decoded;

  // The attestation: typ, alg, signer (WA-02, WA-04), then claims (WA-03, WA-10, WA-15, WA-08).
  if (ah.typ !== ATTESTATION_TYP)
    return fail('WA-02.attestation_typ', `typ is ${JSON.stringify(ah.typ)}, expected "${ATTESTATION_TYP}"`);
  if (pop.decoded.header.typ !== POP_TYP)
    return fail('WA-02.pop_typ', `typ is ${JSON.stringify(pop.decoded.header.typ)}, expected "${POP_TYP}"`);
  f.pass('WA-02');
  if (!isAsymmetricAlg(ah.alg) || !algs.includes(ah.alg))
    return fail('WA-04.alg', `alg ${JSON.stringify(ah.alg)} is not one of ${algs.join(', ')}`);
  const signer = await verifyAttestationSigner(
    attestation.jwt,
    ah,
    expect.anchors.filter((a) => a.kind === 'wallet_attestation'),
    expect.nowMs,
  );
  chainSteps = signer.steps;
  if (!signer.ok) return fail(`WA-04.${signer.code}`, signer.reason);
  if (signer.viaBareKey) {
    const rejected = warn('WA-04.no_x5c', `signed by JWK anchor '${signer.anchor.label}' without x5c`);
    if (rejected) return rejected;
  } else {
    f.pass('WA-04');
  }

  if (ap.iss === undefined) {
    const rejected = warn('WA-15.no_iss', 'the wallet attestation has no iss: ABCA ≥ -08');
    if (rejected) return rejected;
  } else if (typeof ap.iss !== 'string' || ap.iss.length === 0) return fail('WA-03.iss', 'iss is not a non-empty string');
  if (typeof ap.sub !== 'string' || ap.sub.length === 0)
    return fail('WA-03.sub', ap.sub === undefined ? 'sub is missing' : 'sub is not a non-empty string');
  if (typeof ap.exp !== 'number') return fail('WA-03.exp', ap.exp === undefined ? 'exp is missing' : 'exp is not a number');
  if (ap.exp <= nowS - CLOCK_SKEW_S) return fail('WA-03.expired', `exp passed ${Math.round(nowS - ap.exp)} s ago`);
  if (typeof ap.nbf === 'number' && ap.nbf > nowS + CLOCK_SKEW_S)
    return fail('WA-03.expired', `nbf is ${Math.round(ap.nbf - nowS)} s in the future`);
  const cnfJwk = isObject(ap.cnf) && isObject(ap.cnf.jwk) ? (ap.cnf.jwk as JWK) : undefined;
  if (!cnfJwk || typeof cnfJwk.kty !== 'string') return fail('WA-03.cnf', 'cnf.jwk is missing or not a JWK');
  const secret = privateMembers(cnfJwk);
  if (secret.length > 0) return fail('WA-03.cnf_private', `cnf.jwk contains ${secret.join(', ')}`);
  try {
    createPublicKey({ key: cnfJwk as JsonWebKey, format: 'jwk' });
  } catch (error) {
    return fail('WA-03.cnf', `cnf.jwk: ${(error as Error).message}`);
  }
  f.pass('WA-03');
  if (expect.maxAttestationAgeSeconds !== undefined) {
    if (typeof ap.iat !== 'number') return fail('WA-10', 'the attestation has no iat, so its age cannot be checked');
    if (ap.iat < nowS - expect.maxAttestationAgeSeconds)
      return fail('WA-10', `issued ${Math.round(nowS - ap.iat)} s ago; at most ${expect.maxAttestationAgeSeconds} s accepted`);
    f.pass('WA-10');
  }
  if (expect.clientId !== undefined && expect.clientId !== ap.sub)
    return fail('WA-08.client_id', `client_id is "${expect.clientId}", attestation sub is "${ap.sub}"`);

  // The PoP: alg and signature by cnf.jwk (WA-06), then claims (WA-05, WA-07, WA-08, WA-15).
  const { header: ph, payload: pp } = pop.decoded;
  if (!isAsymmetricAlg(ph.alg) || !algs.includes(ph.alg))
    return fail('WA-06.alg', `alg ${JSON.stringify(ph.alg)} is not one of ${algs.join(', ')}`);
  const cnfKey = publicKeyFor(cnfJwk, ph.alg);
  const badPop = typeof cnfKey === 'string' ? cnfKey : verifyCompactJws(pop.jwt, cnfKey, ph.alg);
  if (badPop) return fail('WA-06', `the PoP signature does not verify with cnf.jwk: ${badPop}`);
  f.pass('WA-06');
  if (pp.iss === undefined) {
    const rejected = warn('WA-15.no_pop_iss', 'the PoP has no iss: ABCA ≥ -08');
    if (rejected) return rejected;
  } else if (pp.iss !== ap.sub)
    return fail('WA-08.pop_iss', `PoP iss is ${JSON.stringify(pp.iss)}, attestation sub is "${ap.sub}"`);
  const audiences = Array.isArray(pp.aud) ? pp.aud : [pp.aud];
  if (!audiences.includes(expect.asIssuer))
    return fail('WA-05.aud', `aud is ${JSON.stringify(pp.aud ?? null)}, expected "${expect.asIssuer}"`);
  if (typeof pp.jti !== 'string' || pp.jti.length === 0 || pp.jti.length > 256)
    return fail('WA-05.jti', 'jti must be a non-empty string of at most 256 characters');
  if (typeof pp.iat !== 'number') return fail('WA-05.iat', pp.iat === undefined ? 'iat is missing' : 'iat is not a number');
  f.pass('WA-05');
  if (pp.iat < nowS - expect.maxAgeSeconds || pp.iat > nowS + CLOCK_SKEW_S)
    return fail(
      'WA-07.stale',
      `iat is ${Math.round(pp.iat - nowS)} s from the server clock (window -${expect.maxAgeSeconds} s .. +${CLOCK_SKEW_S} s)`,
    );
  if (typeof pp.exp === 'number' && pp.exp <= nowS - CLOCK_SKEW_S)
    return fail('WA-07.stale', `exp passed ${Math.round(nowS - pp.exp)} s ago`);
  if (typeof pp.nbf === 'number' && pp.nbf > nowS + CLOCK_SKEW_S)
    return fail('WA-07.stale', `nbf is ${Math.round(pp.nbf - nowS)} s in the future`);
  f.pass('WA-07');
  if (pp.iss !== undefined || expect.clientId !== undefined) f.pass('WA-08');
  if (!f.warnings.some((w) => w.rule === 'WA-15')) f.pass('WA-15');

  return {
    ...f.ok({
      clientId: ap.sub,
      cnfJwk,
      cnfJkt: jwkThumbprint(cnfJwk),
      jti: pp.jti,
      replayUntilMs: (pp.iat + expect.maxAgeSeconds + CLOCK_SKEW_S) * 1000,
      ...(typeof pp.challenge === 'string' ? { challenge: pp.challenge } : {}),
      attestation: asRecord(attestation.decoded),
      pop: asRecord(pop.decoded),
      anchor: signer.anchor,
    }),
    chainSteps,
  };
}
