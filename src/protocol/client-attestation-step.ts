import type { FastifyRequest } from 'fastify';
import { anchorsFor } from '../attestation/anchors.ts';
import { describeAnchor } from '../attestation/trust.ts';
import { failure } from '../checks/finding.ts';
import { checkClientAttestation, popJtiHash } from '../checks/wallet-attestation.ts';
import { ProtocolError, rejected } from '../diagnostics/index.ts';
import type { Session } from '../domain/session.ts';
import { acceptedAlgs } from '../issuance/metadata.ts';
import { CHALLENGE_TTL_MS } from './challenge.ts';
import type { AppDeps } from './deps.ts';

// How old a client attestation PoP may be (WA-07); its jti is remembered for as long.
const POP_MAX_AGE_S = 300;
const SUBJECT = 'Wallet attestation';
const ATTESTATION_REF = 'header:oauth-client-attestation';

const headerLines = (request: FastifyRequest, name: string): string[] => request.raw.headersDistinct[name] ?? [];

/** Who the client is: the attested sub with its instance key, a public client's client_id, or nobody. */
export interface AuthenticatedClient {
  clientId: string | null;
  /** cnf.jwk thumbprint of the wallet attestation (WA-13), when the client was attested. */
  instanceJkt: string | null;
}

/** True when the request carries attestation-based client authentication headers. */
export const hasClientAttestation = (request: FastifyRequest): boolean =>
  headerLines(request, 'oauth-client-attestation').length > 0 || headerLines(request, 'oauth-client-attestation-pop').length > 0;

/**
 * OAuth 2.0 Attestation-Based Client Authentication (WA-01..15, OID4VCI Appendix E), shared by the
 * PAR and token endpoints (PAR-02, TOK-12). The PoP jti and challenge are spent in the request's
 * transaction. The session decides whether an attestation is demanded (WA-14), whether the PoP must
 * carry a challenge (WA-09) and how old an attestation may be (WA-10, else MAX_ATTESTATION_AGE_S).
 */
export async function authenticateClient(
  request: FastifyRequest,
  deps: AppDeps,
  session: Session,
  clientIdParam: string | undefined,
): Promise<AuthenticatedClient> {
  const attestation = headerLines(request, 'oauth-client-attestation');
  const pop = headerLines(request, 'oauth-client-attestation-pop');
  if (attestation.length === 0 && pop.length === 0) {
    if (session.options.require_wallet_attestation) throw new ProtocolError('WA-14.missing', undefined, { subject: SUBJECT });
    return { clientId: clientIdParam ?? null, instanceJkt: null };
  }
  const maxAttestationAge = session.options.max_attestation_age_seconds ?? deps.config.maxAttestationAgeSeconds;
  const now = deps.now();
  const checked = await checkClientAttestation(
    { attestation, pop },
    {
      asIssuer: request.issuer.issuer,
      nowMs: now,
      anchors: await anchorsFor(deps, 'wallet_attestation', session),
      strict: session.options.strict,
      maxAgeSeconds: POP_MAX_AGE_S,
      ...(maxAttestationAge !== undefined ? { maxAttestationAgeSeconds: maxAttestationAge } : {}),
      algs: acceptedAlgs(session.options),
      ...(clientIdParam !== undefined ? { clientId: clientIdParam } : {}),
    },
  );
  if (!checked.ok)
    throw rejected(checked, { subject: SUBJECT, jwt: ATTESTATION_REF, facts: { chain_steps: checked.chainSteps } });
  const value = checked.value;
  if (session.options.require_attestation_challenge && value.challenge === undefined) {
    // ABCA -07 Section 8: once the server offers a challenge, the client must use it. Hand one out with the refusal.
    const fresh = deps.secret();
    throw new ProtocolError('WA-09.missing', undefined, {
      findings: [...checked.findings, failure('WA-09.missing')],
      subject: SUBJECT,
      jwt: ATTESTATION_REF,
      headers: { 'oauth-client-attestation-challenge': fresh },
      commit: (rejectionTx) => rejectionTx.nonces.issueAttestationChallenge(fresh, now + CHALLENGE_TTL_MS),
    });
  }
  const recorded = request.trail.check(SUBJECT, checked.findings, {
    jwt: ATTESTATION_REF,
    facts: {
      client_id: value.clientId,
      trust_anchor: describeAnchor(value.anchor),
      ...(value.anchor.test
        ? { test_trust: 'Signed by the built-in test attester: TEST TRUST, not a real wallet provider.' }
        : {}),
      chain_steps: checked.chainSteps,
      pop: 'header:oauth-client-attestation-pop',
    },
  });
  request.trail.spend(async (tx) => {
    if (value.challenge !== undefined) {
      if (!(await tx.nonces.useAttestationChallenge(value.challenge, now))) {
        const detail = `challenge "${value.challenge.slice(0, 64)}"`;
        const fresh = deps.secret();
        throw new ProtocolError('WA-09', detail, {
          findings: [failure('WA-09', detail)],
          subject: SUBJECT,
          headers: { 'oauth-client-attestation-challenge': fresh },
          // With the rejection's records, so the challenge handed out survives this transaction's rollback.
          commit: (rejectionTx) => rejectionTx.nonces.issueAttestationChallenge(fresh, now + CHALLENGE_TTL_MS),
        });
      }
      recorded.push({ rule: 'WA-09', outcome: 'pass' });
    }
    if (!(await tx.anchors.rememberPopJti(popJtiHash(value.jti), value.replayUntilMs, now))) {
      const detail = `jti "${value.jti.slice(0, 64)}" was already used`;
      throw new ProtocolError('WA-07.replay', detail, { findings: [failure('WA-07.replay', detail)], subject: SUBJECT });
    }
  });
  return { clientId: value.clientId, instanceJkt: value.cnfJkt };
}
