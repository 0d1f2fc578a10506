// From the proofs of a credential request to the holder keys credentials are bound to:
// jwt proofs (OID4VCI Appendix F.1) with optional key_attestation (Appendix D), or the
// attestation proof type (Appendix F.3). Everything here throws a ProtocolError on failure.
import type { FastifyRequest } from 'fastify';
import type { JWK } from 'jose';
import { anchorsFor } from '../attestation/anchors.ts';
import { describeAnchor } from '../attestation/trust.ts';
import { decodeCompactJwt } from '../checks/jose-helpers.ts';
import type { Finding } from '../checks/finding.ts';
import { attestationNonceFinding, checkKeyAttestation, proofKeyAttested, type ValidKeyAttestation } from '../checks/key-attestation.ts';
import { checkJwtProof, distinctKeysFinding, type ValidJwtProof } from '../checks/proof-jwt.ts';
import { diagnostic, ProtocolError } from '../diagnostics/index.ts';
import { BATCH_SIZE, PROOF_SIGNING_ALGS } from '../issuance/metadata.ts';
import type { AccessTokenRecord } from '../domain/grants.ts';
import type { Session } from '../domain/session.ts';
import type { AppDeps } from './deps.ts';

export interface HolderKey {
  jwk: JWK;
  jkt: string;
}

/** Holder keys to bind credentials to, and the c_nonces the proofs spent. */
export interface ProvenHolders {
  keys: HolderKey[];
  nonces: string[];
}

/** PRF-08: a c_nonce this issuer handed out, unexpired and not yet spent. */
async function requireLiveNonce(request: FastifyRequest, deps: AppDeps, nonce: string): Promise<void> {
  const now = deps.now();
  const record = await deps.store.nonces.getCNonce(nonce);
  const problem = !record ? 'never issued by the nonce endpoint' : record.consumed_at !== null ? 'already used for an issued credential' : record.expires_at <= now ? 'expired' : undefined;
  if (problem) throw new ProtocolError('PRF-08.unknown', `c_nonce ${problem}`);
  request.trail.note('debug', 'c_nonce accepted', { issued_s_ago: Math.round((now - record!.created_at) / 1000) });
}

async function keyAttestation(request: FastifyRequest, deps: AppDeps, session: Session, jwt: unknown, usedWith: 'jwt' | 'attestation', label: string): Promise<ValidKeyAttestation> {
  const demand = session.options.require_key_attestation;
  const checked = await checkKeyAttestation(jwt, {
    algs: PROOF_SIGNING_ALGS,
    nowMs: deps.now(),
    anchors: await anchorsFor(deps, 'key_attestation', session),
    usedWith,
    nonceRequired: true,
    strict: session.options.strict,
    ...(demand === false ? {} : { accepted: demand }),
  });
  const decoded = decodeCompactJwt(jwt);
  if (!checked.ok) {
    throw new ProtocolError(checked.failure.diagnostic, `${label}: ${checked.failure.detail ?? 'invalid'}`, {
      data: { chain_steps: checked.chainSteps, ...(decoded ? { jwts: [{ label, ...decoded }] } : {}) },
    });
  }
  const value = checked.value;
  for (const warning of checked.findings.filter((f: Finding) => f.outcome === 'warn')) {
    const d = diagnostic(warning.diagnostic!);
    request.trail.note('warn', `${d.title}${warning.detail ? `: ${warning.detail}` : ''}`, { rule: d.rule, diagnostic: d.id, reason: d.reason, help: d.help, spec_ref: d.spec_ref });
  }
  request.trail.note('info', `${label} validated (${value.attestedKeys.length} attested key${value.attestedKeys.length === 1 ? '' : 's'})`, {
    trust_anchor: describeAnchor(value.anchor),
    ...(value.anchor.test ? { test_trust: 'Signed by the built-in test attester: TEST TRUST, not a real key attestation provider.' } : {}),
    chain_steps: checked.chainSteps,
    key_storage: value.payload.key_storage ?? null,
    user_authentication: value.payload.user_authentication ?? null,
    jwts: [{ label, header: value.header, payload: value.payload, checks: checked.findings }],
  });
  return value;
}

/** KA-08: one credential per attested key, at most batch_size of them. */
function capped(request: FastifyRequest, keys: HolderKey[]): HolderKey[] {
  const unique = [...new Map(keys.map((k) => [k.jkt, k])).values()];
  if (unique.length > BATCH_SIZE) request.trail.note('warn', `${unique.length} holder keys, issuing for the first ${BATCH_SIZE} (batch_size)`);
  return unique.slice(0, BATCH_SIZE);
}

async function jwtProofHolders(request: FastifyRequest, deps: AppDeps, session: Session, token: AccessTokenRecord, jwts: unknown[]): Promise<ProvenHolders> {
  const proofs: ValidJwtProof[] = [];
  const proofFindings: Finding[][] = [];
  for (const [index, jwt] of jwts.entries()) {
    const checked = checkJwtProof(jwt, { issuer: request.issuer.issuer, algs: PROOF_SIGNING_ALGS, nowMs: deps.now(), clientId: token.client_id });
    if (!checked.ok) {
      const decoded = decodeCompactJwt(jwt);
      throw new ProtocolError(checked.failure.diagnostic, `proofs.jwt[${index}]: ${checked.failure.detail ?? 'invalid'}`, {
        data: decoded ? { jwts: [{ label: `Key proof ${index}`, ...decoded }] } : {},
      });
    }
    proofs.push(checked.value);
    proofFindings.push(checked.findings);
  }
  const distinct = distinctKeysFinding(proofs.map((p) => p.jkt));
  if (distinct.outcome === 'fail') throw new ProtocolError(distinct.diagnostic!, distinct.detail);
  for (const nonce of new Set(proofs.map((p) => p.nonce))) await requireLiveNonce(request, deps, nonce);
  request.trail.note('info', 'Key proofs validated', {
    holder_keys: proofs.map((p) => ({ jkt: p.jkt, jwk: p.jwk })),
    jwts: proofs.map((p, i) => ({ label: `Key proof ${i}`, header: p.header, payload: p.payload, checks: [...proofFindings[i]!, { rule: 'PRF-08', outcome: 'pass' }, distinct] })),
  });

  const keys: HolderKey[] = [];
  for (const [index, proof] of proofs.entries()) {
    const attestation = proof.header.key_attestation;
    if (attestation === undefined) {
      if (session.options.require_key_attestation !== false) throw new ProtocolError('PRF-12.missing', `proofs.jwt[${index}] has no key_attestation header`);
      keys.push({ jwk: proof.jwk, jkt: proof.jkt });
      continue;
    }
    const value = await keyAttestation(request, deps, session, attestation, 'jwt', `Key attestation of proof ${index}`);
    for (const finding of [proofKeyAttested(proof.jkt, value), attestationNonceFinding(value.nonce, value.nonce === proof.nonce)]) {
      if (finding.outcome === 'fail') throw new ProtocolError(finding.diagnostic!, finding.detail);
    }
    keys.push(...value.attestedKeys.map((jwk, i) => ({ jwk, jkt: value.jkts[i]! })));
  }
  return { keys: capped(request, keys), nonces: [...new Set(proofs.map((p) => p.nonce))] };
}

async function attestationProofHolders(request: FastifyRequest, deps: AppDeps, session: Session, values: unknown[]): Promise<ProvenHolders> {
  if (values.length !== 1) throw new ProtocolError('CRED-14.attestation_count', `${values.length} elements`);
  const value = await keyAttestation(request, deps, session, values[0], 'attestation', 'Key attestation (attestation proof type)');
  if (value.nonce === undefined) throw new ProtocolError('KA-06.missing');
  const nonceFinding = attestationNonceFinding(value.nonce, (await deps.store.nonces.getCNonce(value.nonce)) !== undefined);
  if (nonceFinding.outcome === 'fail') throw new ProtocolError(nonceFinding.diagnostic!, nonceFinding.detail);
  await requireLiveNonce(request, deps, value.nonce);
  return { keys: capped(request, value.attestedKeys.map((jwk, i) => ({ jwk, jkt: value.jkts[i]! }))), nonces: [value.nonce] };
}

export function provenHolders(
  request: FastifyRequest,
  deps: AppDeps,
  input: { session: Session; token: AccessTokenRecord; proofType: string; values: unknown[] },
): Promise<ProvenHolders> {
  return input.proofType === 'attestation'
    ? attestationProofHolders(request, deps, input.session, input.values)
    : jwtProofHolders(request, deps, input.session, input.token, input.values);
}
