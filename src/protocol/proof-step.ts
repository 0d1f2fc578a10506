// From the proofs of a credential request to the holder keys credentials are bound to:
// jwt proofs (OID4VCI Appendix F.1) with optional key_attestation (Appendix D), or the
// attestation proof type (Appendix F.3). Everything here throws a ProtocolError on failure.
import type { FastifyRequest } from 'fastify';
import type { JWK } from 'jose';
import { anchorsFor } from '../attestation/anchors.ts';
import { describeAnchor } from '../attestation/trust.ts';
import { type Finding, failure } from '../checks/finding.ts';
import {
  attestationNonceFinding,
  checkKeyAttestation,
  proofKeyAttested,
  type ValidKeyAttestation,
} from '../checks/key-attestation.ts';
import { type CNonceState, checkJwtProof, cNonceFinding, distinctKeysFinding, type ValidJwtProof } from '../checks/proof-jwt.ts';
import { ProtocolError, rejected } from '../diagnostics/index.ts';
import type { AccessTokenRecord, CNonce } from '../domain/grants.ts';
import type { Session } from '../domain/session.ts';
import { acceptedAlgs, BATCH_SIZE } from '../issuance/metadata.ts';
import type { AppDeps } from './deps.ts';

export interface HolderKey {
  jwk: JWK;
  jkt: string;
  /** Set when the proof named the key by a did:jwk or did:key kid. */
  did?: string;
}

/** Holder keys to bind credentials to, and when the c_nonces the proofs spent were issued. */
export interface ProvenHolders {
  keys: HolderKey[];
  /** Issue times of the spent c_nonces: the session's nonce step, inferred (nonce requests carry no session). */
  nonceIssuedAt: number[];
}

function nonceState(record: CNonce | undefined, now: number): CNonceState {
  if (!record) return 'unknown';
  if (record.consumed_at !== null) return 'consumed';
  return record.expires_at <= now ? 'expired' : 'live';
}

/**
 * PRF-08: a c_nonce this issuer handed out, unexpired and unspent; it is spent in the request's
 * transaction, where a racing request that spent it first makes this one fail.
 */
async function liveNonce(
  request: FastifyRequest,
  deps: AppDeps,
  nonce: string,
  findings: Finding[],
  subject: string,
): Promise<number> {
  const now = deps.now();
  const record = await deps.store.nonces.getCNonce(nonce);
  const finding = cNonceFinding(nonceState(record, now));
  if (finding.outcome === 'fail')
    throw new ProtocolError(finding.diagnostic!, finding.detail, { findings: [...findings, finding], subject });
  findings.push(finding);
  request.trail.spend(async (tx) => {
    if (!(await tx.nonces.consumeCNonce(nonce, now))) {
      throw new ProtocolError('PRF-08.unknown', 'c_nonce used by a concurrent request', {
        findings: [failure('PRF-08.unknown', 'c_nonce used by a concurrent request')],
        subject,
      });
    }
  });
  return record!.created_at;
}

interface CheckedKeyAttestation {
  value: ValidKeyAttestation;
  findings: Finding[];
  facts: Record<string, unknown>;
}

async function keyAttestation(
  deps: AppDeps,
  session: Session,
  jwt: unknown,
  usedWith: 'jwt' | 'attestation',
  where: { subject: string; ref: string },
): Promise<CheckedKeyAttestation> {
  const demand = session.options.require_key_attestation;
  const checked = await checkKeyAttestation(jwt, {
    algs: acceptedAlgs(session.options),
    nowMs: deps.now(),
    anchors: await anchorsFor(deps, 'key_attestation', session),
    usedWith,
    nonceRequired: true,
    strict: session.options.strict,
    ...(demand === false ? {} : { accepted: demand }),
  });
  if (!checked.ok)
    throw rejected(checked, { subject: where.subject, jwt: where.ref, facts: { chain_steps: checked.chainSteps } });
  const value = checked.value;
  const facts = {
    trust_anchor: describeAnchor(value.anchor),
    ...(value.anchor.test
      ? { test_trust: 'Signed by the built-in test attester: TEST TRUST, not a real key attestation provider.' }
      : {}),
    chain_steps: checked.chainSteps,
    attested_keys: value.jkts,
  };
  return { value, findings: [...checked.findings], facts };
}

/** KA-08: one credential per attested key, at most batch_size of them. */
function capped(request: FastifyRequest, keys: HolderKey[]): HolderKey[] {
  const unique = [...new Map(keys.map((k) => [k.jkt, k])).values()];
  if (unique.length > BATCH_SIZE)
    request.trail.warning('KA-08.capped', `${unique.length} holder keys, issuing for the first ${BATCH_SIZE} (batch_size)`);
  return unique.slice(0, BATCH_SIZE);
}

async function jwtProofHolders(
  request: FastifyRequest,
  deps: AppDeps,
  session: Session,
  token: AccessTokenRecord,
  jwts: unknown[],
  bindingMethods: readonly string[],
): Promise<ProvenHolders> {
  const proofs: Array<{ proof: ValidJwtProof; findings: Finding[]; subject: string; ref: string }> = [];
  for (const [index, jwt] of jwts.entries()) {
    const subject = `Key proof ${index}`;
    const ref = `body:proofs.jwt[${index}]`;
    const checked = checkJwtProof(jwt, {
      issuer: request.issuer.issuer,
      algs: acceptedAlgs(session.options),
      nowMs: deps.now(),
      clientId: token.client_id,
      bindingMethods,
    });
    if (!checked.ok)
      throw rejected(checked, { subject, ...(checked.failure.diagnostic !== 'PRF-00.malformed' ? { jwt: ref } : {}) });
    proofs.push({ proof: checked.value, findings: [...checked.findings], subject, ref });
  }
  const distinct = distinctKeysFinding(proofs.map((p) => p.proof.jkt));
  if (distinct.outcome === 'fail')
    throw new ProtocolError(distinct.diagnostic!, distinct.detail, { findings: [distinct], subject: 'Key proofs' });
  const issuedAt = new Map<string, number>();
  for (const p of proofs) {
    const nonce = p.proof.nonce;
    if (!issuedAt.has(nonce)) issuedAt.set(nonce, await liveNonce(request, deps, nonce, p.findings, p.subject));
    else p.findings.push({ rule: 'PRF-08', outcome: 'pass' });
    p.findings.push(distinct);
  }

  const keys: HolderKey[] = [];
  for (const [index, { proof, findings, subject, ref }] of proofs.entries()) {
    const attestation = proof.header.key_attestation;
    if (attestation === undefined) {
      if (session.options.require_key_attestation !== false) {
        throw new ProtocolError('PRF-12.missing', `proofs.jwt[${index}] has no key_attestation header`, {
          findings: [...findings, failure('PRF-12.missing')],
          subject,
          jwt: ref,
        });
      }
      request.trail.check(subject, findings, { jwt: ref, facts: { jkt: proof.jkt, ...(proof.did ? { did: proof.did } : {}) } });
      keys.push({ jwk: proof.jwk, jkt: proof.jkt, ...(proof.did ? { did: proof.did } : {}) });
      continue;
    }
    const where = { subject: `Key attestation of proof ${index}`, ref: `${ref}#key_attestation` };
    const attested = await keyAttestation(deps, session, attestation, 'jwt', where);
    const { value } = attested;
    for (const finding of [
      proofKeyAttested(proof.jkt, value),
      attestationNonceFinding(value.nonce, value.nonce === proof.nonce),
    ]) {
      if (finding.outcome === 'fail')
        throw new ProtocolError(finding.diagnostic!, finding.detail, {
          findings: [...attested.findings, finding],
          subject: where.subject,
          jwt: where.ref,
        });
      attested.findings.push(finding);
    }
    findings.push({ rule: 'PRF-12', outcome: 'pass' });
    request.trail.check(subject, findings, { jwt: ref, facts: { jkt: proof.jkt } });
    request.trail.check(where.subject, attested.findings, { jwt: where.ref, facts: attested.facts });
    keys.push(...value.attestedKeys.map((jwk, i) => ({ jwk, jkt: value.jkts[i]! })));
  }
  return { keys: capped(request, keys), nonceIssuedAt: [...issuedAt.values()] };
}

async function attestationProofHolders(
  request: FastifyRequest,
  deps: AppDeps,
  session: Session,
  values: unknown[],
): Promise<ProvenHolders> {
  const where = { subject: 'Key attestation (attestation proof type)', ref: 'body:proofs.attestation[0]' };
  if (values.length !== 1)
    throw new ProtocolError('CRED-14.attestation_count', `${values.length} elements`, { subject: where.subject });
  const attested = await keyAttestation(deps, session, values[0], 'attestation', where);
  const { value, findings } = attested;
  const record = value.nonce === undefined ? undefined : await deps.store.nonces.getCNonce(value.nonce);
  const nonceFinding = attestationNonceFinding(value.nonce, record !== undefined);
  if (nonceFinding.outcome === 'fail')
    throw new ProtocolError(nonceFinding.diagnostic!, nonceFinding.detail, {
      findings: [...findings, nonceFinding],
      subject: where.subject,
      jwt: where.ref,
    });
  findings.push(nonceFinding);
  const issuedAt = await liveNonce(request, deps, value.nonce!, findings, where.subject);
  findings.push({ rule: 'PRF-12', outcome: 'pass' });
  request.trail.check(where.subject, findings, { jwt: where.ref, facts: attested.facts });
  return {
    keys: capped(
      request,
      value.attestedKeys.map((jwk, i) => ({ jwk, jkt: value.jkts[i]! })),
    ),
    nonceIssuedAt: [issuedAt],
  };
}

export function provenHolders(
  request: FastifyRequest,
  deps: AppDeps,
  input: { session: Session; token: AccessTokenRecord; proofType: string; values: unknown[]; bindingMethods: readonly string[] },
): Promise<ProvenHolders> {
  return input.proofType === 'attestation'
    ? attestationProofHolders(request, deps, input.session, input.values)
    : jwtProofHolders(request, deps, input.session, input.token, input.values, input.bindingMethods);
}
