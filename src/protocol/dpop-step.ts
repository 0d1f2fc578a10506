import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import {
  checkDpopProof,
  DPOP_MAX_AGE_S,
  DPOP_MAX_FUTURE_S,
  dpopNonceFinding,
  dpopReplayFinding,
  type ValidDpopProof,
} from '../checks/dpop.ts';
import { ProtocolError, rejected } from '../diagnostics/index.ts';
import type { Repositories } from '../store/index.ts';
import type { AppDeps } from './deps.ts';

export const DPOP_NONCE_TTL_MS = 5 * 60 * 1000;
const DPOP_REF = 'header:dpop';

/** Raw header lines named DPoP; Node would join duplicates into one comma-separated value (DPOP-01). */
export function dpopHeaderValues(request: FastifyRequest): string[] {
  const raw = request.raw.rawHeaders;
  const values: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'dpop') values.push(raw[i + 1]!);
  return values;
}

/** A fresh server nonce (DPOP-13), stored in the transaction of the response that hands it out. */
export async function issueDpopNonce(deps: AppDeps, tx: Repositories): Promise<string> {
  const nonce = deps.secret();
  await tx.nonces.issueDpopNonce(nonce, deps.now() + DPOP_NONCE_TTL_MS);
  return nonce;
}

/**
 * Validates the DPoP proof of this request (DPOP-01..11), then the server nonce when the session
 * demands one (DPOP-13). The nonce comes before anything single-use is spent, so a wallet's retry
 * with the nonce succeeds; the jti (DPOP-10) is spent in the request's transaction.
 */
export async function verifyDpop(
  request: FastifyRequest,
  deps: AppDeps,
  options: { path: string; accessToken?: string; requireNonce: boolean; algs: readonly string[] },
): Promise<ValidDpopProof> {
  const now = deps.now();
  const checked = checkDpopProof(dpopHeaderValues(request), {
    htm: request.method,
    htu: request.issuer.url(options.path),
    nowMs: now,
    algs: options.algs,
    ...(options.accessToken !== undefined ? { accessToken: options.accessToken } : {}),
  });
  if (!checked.ok)
    throw rejected(checked, { subject: 'DPoP proof', ...(checked.failure.rule !== 'DPOP-01' ? { jwt: DPOP_REF } : {}) });
  const proof = checked.value;
  const findings = [...checked.findings];

  if (options.requireNonce) {
    const nonce = dpopNonceFinding(
      proof.nonce,
      proof.nonce !== undefined && (await deps.store.nonces.isValidDpopNonce(proof.nonce, now)),
    );
    if (nonce.outcome === 'fail') {
      const fresh = deps.secret();
      throw new ProtocolError(nonce.diagnostic!, nonce.detail, {
        findings: [...findings, nonce],
        subject: 'DPoP proof',
        jwt: DPOP_REF,
        headers: { 'dpop-nonce': fresh },
        commit: (tx) => tx.nonces.issueDpopNonce(fresh, now + DPOP_NONCE_TTL_MS),
      });
    }
    findings.push(nonce);
  }
  const jtiHash = createHash('sha256').update(proof.jti).digest('base64url');
  const window = (DPOP_MAX_AGE_S + DPOP_MAX_FUTURE_S) * 1000;
  const recorded = request.trail.check('DPoP proof', findings, { jwt: DPOP_REF, facts: { jkt: proof.jkt, htu: proof.htu } });
  request.trail.spend(async (tx) => {
    const replay = dpopReplayFinding(proof.jti, proof.htu, await tx.nonces.rememberDpopJti(jtiHash, proof.htu, now + window));
    if (replay.outcome === 'fail')
      throw new ProtocolError(replay.diagnostic!, replay.detail, { findings: [replay], subject: 'DPoP proof', jwt: DPOP_REF });
    recorded.push(replay);
  });
  return proof;
}
