import type { FastifyRequest } from 'fastify';
import { anchorsFor } from '../attestation/anchors.ts';
import { describeAnchor } from '../attestation/trust.ts';
import { decodeCompactJwt } from '../checks/jose-helpers.ts';
import { checkClientAttestation, popJtiHash } from '../checks/wallet-attestation.ts';
import { diagnostic, ProtocolError } from '../diagnostics/index.ts';
import type { Finding } from '../checks/finding.ts';
import type { Session } from '../domain/session.ts';
import { issueAttestationChallenge } from './challenge.ts';
import type { AppDeps } from './deps.ts';

// How old a client attestation PoP may be (WA-07); its jti is remembered for as long.
const POP_MAX_AGE_S = 300;

const headerLines = (request: FastifyRequest, name: string): string[] => request.raw.headersDistinct[name] ?? [];

/** The attestation and PoP as the log shows them, also when they fail. */
function decodedHeaders(request: FastifyRequest): Array<Record<string, unknown>> {
  return [
    ['Wallet attestation', 'oauth-client-attestation'],
    ['Wallet attestation PoP', 'oauth-client-attestation-pop'],
  ].flatMap(([label, name]) => headerLines(request, name!).map((value) => ({ label, ...decodeCompactJwt(value) })));
}

/**
 * OAuth 2.0 Attestation-Based Client Authentication at the token endpoint
 * (WA-01..15, OID4VCI Appendix E). Returns the authenticated client_id, the
 * public client's client_id parameter, or null for anonymous access.
 */
export async function authenticateClient(request: FastifyRequest, deps: AppDeps, session: Session, clientIdParam: string | undefined): Promise<string | null> {
  const attestation = headerLines(request, 'oauth-client-attestation');
  const pop = headerLines(request, 'oauth-client-attestation-pop');
  if (attestation.length === 0 && pop.length === 0) {
    if (session.options.require_wallet_attestation) throw new ProtocolError('WA-14.missing');
    return clientIdParam ?? null;
  }
  const now = deps.now();
  const checked = await checkClientAttestation(
    { attestation, pop },
    {
      asIssuer: request.issuer.issuer,
      nowMs: now,
      anchors: await anchorsFor(deps, 'wallet_attestation', session),
      strict: session.options.strict,
      maxAgeSeconds: POP_MAX_AGE_S,
      ...(clientIdParam !== undefined ? { clientId: clientIdParam } : {}),
    },
  );
  if (!checked.ok) {
    throw new ProtocolError(checked.failure.diagnostic, checked.failure.detail, { data: { chain_steps: checked.chainSteps, jwts: decodedHeaders(request) } });
  }
  const value = checked.value;
  if (value.challenge !== undefined && !(await deps.store.nonces.useAttestationChallenge(value.challenge, now))) {
    const fresh = await issueAttestationChallenge(deps);
    throw new ProtocolError('WA-09', `challenge "${value.challenge.slice(0, 64)}"`, { headers: { 'oauth-client-attestation-challenge': fresh } });
  }
  if (!(await deps.store.anchors.rememberPopJti(popJtiHash(value.jti), value.replayUntilMs, now))) {
    throw new ProtocolError('WA-07.replay', `jti "${value.jti.slice(0, 64)}" was already used`);
  }
  for (const warning of checked.findings.filter((f: Finding) => f.outcome === 'warn')) {
    const d = diagnostic(warning.diagnostic!);
    request.trail.note('warn', `${d.title}${warning.detail ? `: ${warning.detail}` : ''}`, { rule: d.rule, diagnostic: d.id, reason: d.reason, help: d.help, spec_ref: d.spec_ref });
  }
  request.trail.note('info', `Wallet attestation validated for client_id "${value.clientId}"`, {
    client_id: value.clientId,
    trust_anchor: describeAnchor(value.anchor),
    ...(value.anchor.test ? { test_trust: 'Signed by the built-in test attester: TEST TRUST, not a real wallet provider.' } : {}),
    chain_steps: checked.chainSteps,
    jwts: [
      { label: 'Wallet attestation', ...value.attestation, checks: checked.findings },
      { label: 'Wallet attestation PoP', ...value.pop },
    ],
  });
  return value.clientId;
}
