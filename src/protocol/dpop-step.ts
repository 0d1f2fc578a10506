import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { checkDpopProof, DPOP_MAX_AGE_S, DPOP_MAX_FUTURE_S, type ValidDpopProof } from '../checks/dpop.ts';
import { passed } from '../checks/finding.ts';
import { ProtocolError } from '../diagnostics.ts';
import { DPOP_SIGNING_ALGS } from '../issuance/metadata.ts';
import type { AppDeps } from './deps.ts';

export const DPOP_NONCE_TTL_MS = 5 * 60 * 1000;

/** Raw header lines named DPoP; Node would join duplicates into one comma-separated value (DPOP-01). */
export function dpopHeaderValues(request: FastifyRequest): string[] {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'dpop') values.push(raw[i + 1]!);
  return values;
}

export function issueDpopNonce(deps: AppDeps): string {
  const nonce = deps.secret();
  deps.store.nonces.issueDpopNonce(nonce, deps.now() + DPOP_NONCE_TTL_MS);
  return nonce;
}

/**
 * Validates the DPoP proof of this request (DPOP-01..11), then the server
 * nonce when the session demands one (DPOP-13) and replay (DPOP-10). The
 * nonce comes before anything single-use is spent, so a wallet's retry with
 * the nonce succeeds.
 */
export async function verifyDpop(
  request: FastifyRequest,
  deps: AppDeps,
  options: { path: string; accessToken?: string; requireNonce: boolean },
): Promise<ValidDpopProof> {
  const now = deps.now();
  const checked = await checkDpopProof(dpopHeaderValues(request), {
    htm: request.method,
    htu: request.issuer.url(options.path),
    nowMs: now,
    algs: DPOP_SIGNING_ALGS,
    ...(options.accessToken !== undefined ? { accessToken: options.accessToken } : {}),
  });
  if (!checked.ok) throw new ProtocolError(checked.finding.id, checked.finding.detail);
  const proof = checked.value;

  if (options.requireNonce && (proof.nonce === undefined || !deps.store.nonces.isValidDpopNonce(proof.nonce, now))) {
    throw new ProtocolError('DPOP-13', proof.nonce === undefined ? 'the proof has no nonce claim' : 'the nonce is unknown or expired', {
      headers: { 'dpop-nonce': issueDpopNonce(deps) },
    });
  }
  const jtiHash = createHash('sha256').update(proof.jti).digest('base64url');
  const window = (DPOP_MAX_AGE_S + DPOP_MAX_FUTURE_S) * 1000;
  if (!deps.store.nonces.rememberDpopJti(jtiHash, proof.htu, now + window)) {
    throw new ProtocolError('DPOP-10', `jti "${proof.jti.slice(0, 64)}" was already used at ${proof.htu}`);
  }
  const checks = passed('DPOP-01', 'DPOP-02', 'DPOP-03', 'DPOP-04', 'DPOP-05', 'DPOP-06', 'DPOP-07', 'DPOP-08', 'DPOP-09', 'DPOP-10');
  if (options.accessToken !== undefined) checks.push(...passed('DPOP-11'));
  if (options.requireNonce) checks.push(...passed('DPOP-13'));
  request.trail.note('info', 'DPoP proof validated', {
    jkt: proof.jkt,
    jwk: proof.jwk,
    htu: proof.htu,
    nonce_used: proof.nonce ?? null,
    jwts: [{ label: 'DPoP proof', header: proof.header, payload: proof.payload, checks }],
  });
  return proof;
}
