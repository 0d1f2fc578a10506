// OID4VCI 1.0 Section 6.1: the pre-authorized code grant; RFC 9449 Section 5 for DPoP binding.
import type { FastifyReply } from 'fastify';
import { checkAuthorizationDetails, type RequestedCredential } from '../../checks/authorization-details.ts';
import { checkTxCode } from '../../checks/tx-code.ts';
import type { DiagnosticId } from '../../diagnostics/index.ts';
import type { PreAuthorizedCode } from '../../domain/grants.ts';
import { credentialConfigurations } from '../../issuance/configurations.ts';
import { acceptedAlgs, PRE_AUTHORIZED_GRANT } from '../../issuance/metadata.ts';
import { redactSecret } from '../../logging/redact.ts';
import { authenticateClient } from '../client-attestation-step.ts';
import { verifyDpop } from '../dpop-step.ts';
import { type GrantContext, refuse, refuseChecked, SUBJECT } from './grant-context.ts';
import { hashToken, sendTokens } from './issue-tokens.ts';

export const MAX_TX_CODE_ATTEMPTS = 5;

/** TOK-04: a code we issued, unexpired, unused and not burnt by wrong tx_codes. */
function usableCode(
  code: PreAuthorizedCode | undefined,
  now: number,
  given: string,
): { id: DiagnosticId; detail?: string } | undefined {
  if (!code) return { id: 'TOK-04.unknown', detail: `code ${redactSecret(given)}` };
  if (code.burnt_at !== null) return { id: 'TOK-04.burnt' };
  if (code.redeemed_at !== null)
    return { id: 'TOK-04.redeemed', detail: `redeemed ${Math.round((now - code.redeemed_at) / 1000)} s ago` };
  if (code.expires_at <= now)
    return { id: 'TOK-04.expired', detail: `expired ${Math.round((now - code.expires_at) / 1000)} s ago` };
  return undefined;
}

export async function preAuthorizedCodeGrant(ctx: GrantContext): Promise<FastifyReply> {
  const { request, deps, params, findings } = ctx;
  const { store } = deps;
  const given = params.get('pre-authorized_code');
  if (!given) return refuse(ctx, 'TOK-03');
  findings.push({ rule: 'TOK-03', outcome: 'pass' });

  const now = deps.now();
  const code = await store.codes.get(given);
  // Known but unusable codes are still logged on their session.
  if (code) request.trail.sessionId = code.session_id;
  const unusable = usableCode(code, now, given);
  if (unusable) refuse(ctx, unusable.id, unusable.detail);
  findings.push({ rule: 'TOK-04', outcome: 'pass' });
  const session = (await store.sessions.get(code!.session_id))!;

  const hasDpop = request.headers.dpop !== undefined;
  if (session.options.require_dpop && !hasDpop) refuse(ctx, 'TOK-13');
  if (session.options.require_dpop) findings.push({ rule: 'TOK-13', outcome: 'pass' });
  const dpop = hasDpop
    ? await verifyDpop(request, deps, {
        path: '/token',
        requireNonce: session.options.dpop_nonce,
        algs: acceptedAlgs(session.options),
      })
    : undefined;
  // After the DPoP nonce challenge, so a wallet's retry does not look like a replayed PoP.
  const client = await authenticateClient(request, deps, session, params.get('client_id'));

  const txFinding = checkTxCode(code!.tx_code, params.get('tx_code'));
  if (txFinding.outcome === 'fail') {
    if (txFinding.diagnostic === 'TOK-07') {
      // One conditional UPDATE counts the attempt, also when wrong codes race.
      const { attempts, burnt } = await store.codes.recordFailedTxCode(code!.code, MAX_TX_CODE_ATTEMPTS, now);
      refuse(
        ctx,
        'TOK-07',
        `${txFinding.detail}; attempt ${attempts} of ${MAX_TX_CODE_ATTEMPTS}${burnt ? ', the code is now invalidated' : ''}`,
      );
    }
    refuse(ctx, txFinding.diagnostic!, txFinding.detail);
  }
  findings.push(txFinding);

  // TOK-16: authorization_details may narrow the offer to some of its configurations.
  let authorized: RequestedCredential[] = session.credential_configuration_ids.map((id) => ({
    credential_configuration_id: id,
    via: 'scope',
  }));
  const rawDetails = params.get('authorization_details');
  if (rawDetails !== undefined) {
    const details = checkAuthorizationDetails(rawDetails, {
      issuer: request.issuer.issuer,
      configurations: credentialConfigurations,
    });
    if (!details.ok) refuseChecked(ctx, details);
    findings.push(...details.findings);
    const outside = details.value.filter((d) => !session.credential_configuration_ids.includes(d.credential_configuration_id));
    if (outside.length > 0)
      refuse(
        ctx,
        'TOK-16.not_authorised',
        `${outside.map((d) => d.credential_configuration_id).join(', ')} not in the offer (${session.credential_configuration_ids.join(', ')})`,
      );
    findings.push({ rule: 'TOK-16', outcome: 'pass' });
    authorized = details.value.map((d) => ({
      credential_configuration_id: d.credential_configuration_id,
      ...(d.claims ? { claims: d.claims } : {}),
      via: 'authorization_details',
    }));
  }
  request.trail.check(SUBJECT, findings, {
    facts: { grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': redactSecret(given), client_id: client.clientId },
  });

  return sendTokens(
    request,
    ctx.reply,
    deps,
    {
      session,
      dpopJkt: dpop?.jkt ?? null,
      clientId: client.clientId,
      instanceJkt: client.instanceJkt,
      authorized,
      familyId: hashToken(given),
      familyIssuedAt: now,
      refresh: session.options.refresh_tokens !== false,
      event: 'token_exchanged',
      eventData: { grant_type: PRE_AUTHORIZED_GRANT },
    },
    async (tx) => {
      // The conditional UPDATE is what makes a racing duplicate lose.
      if (!(await tx.codes.redeem(code!.code, now))) refuse(ctx, 'TOK-04.redeemed', 'redeemed by a concurrent request');
    },
  );
}
