import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { checkDpopProof, dpopNonceFinding, dpopReplayFinding, DPOP_MAX_AGE_S, DPOP_MAX_FUTURE_S, type ValidDpopProof } from '../checks/dpop.ts';
import { ProtocolError } from '../diagnostics/index.ts';
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

export async function issueDpopNonce(deps: AppDeps): Promise<string> {
  const nonce = deps.secret();
  await deps.store.nonces.issueDpopNonce(nonce, deps.now() + DPOP_NONCE_TTL_MS);
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
  const checked = checkDpopProof(dpopHeaderValues(request), {
    htm: request.method,
    htu: request.issuer.url(options.path),
    nowMs: now,
    algs: DPOP_SIGNING_ALGS,
    ...(options.accessToken !== undefined ? { accessToken: options.accessToken } : {}),
  });
  if (!checked.ok) throw new ProtocolError(checked.failure.diagnostic, checked.failure.detail);
  const proof = checked.value;
  const checks = [...checked.findings];

  if (options.requireNonce) {
    const nonce = dpopNonceFinding(proof.nonce, proof.nonce !== undefined && (await deps.store.nonces.isValidDpopNonce(proof.nonce, now)));
    if (nonce.outcome === 'fail') throw new ProtocolError(nonce.diagnostic!, nonce.detail, { headers: { 'dpop-nonce': await issueDpopNonce(deps) } });
    checks.push(nonce);
  }
  const jtiHash = createHash('sha256').update(proof.jti).digest('base64url');
  const window = (DPOP_MAX_AGE_S + DPOP_MAX_FUTURE_S) * 1000;
  const replay = dpopReplayFinding(proof.jti, proof.htu, await deps.store.nonces.rememberDpopJti(jtiHash, proof.htu, now + window));
  if (replay.outcome === 'fail') throw new ProtocolError(replay.diagnostic!, replay.detail);
  checks.push(replay);
  request.trail.note('info', 'DPoP proof validated', {
    jkt: proof.jkt,
    jwk: proof.jwk,
    htu: proof.htu,
    nonce_used: proof.nonce ?? null,
    jwts: [{ label: 'DPoP proof', header: proof.header, payload: proof.payload, checks }],
  });
  return proof;
}
