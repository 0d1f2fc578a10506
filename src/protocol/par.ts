// RFC 9126 (pushed authorization requests) as OID4VCI 1.0 Section 5.1 and HAIP 1.0 Section 4 use it:
// client authentication (PAR-02, shared with /token), the DPoP proof (PAR-12), the request (PAR-01..14),
// then the session it belongs to: the offer's issuer_state (PAR-10), the session-scoped issuer, or a
// new wallet-initiated session (WALLET_INITIATED).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Finding, failure } from '../checks/finding.ts';
import { formParams } from '../checks/form-params.ts';
import { isObject } from '../checks/jose-helpers.ts';
import {
  checkParRequest,
  issuerStateFinding,
  PAR_REQUEST_URI_TTL_S,
  pushedAuthorizationResponse,
} from '../checks/par-request.ts';
import { type DiagnosticId, ProtocolError, rejected } from '../diagnostics/index.ts';
import type { PushedRequest } from '../domain/authorization.ts';
import type { Session } from '../domain/session.ts';
import { sha256Url } from '../hash.ts';
import { credentialConfigurations } from '../issuance/configurations.ts';
import { AUTHORIZATION_CODE_GRANT, acceptedAlgs } from '../issuance/metadata.ts';
import { DEFAULT_PROFILE, profiles } from '../issuance/profiles.ts';
import { authenticateClient } from './client-attestation-step.ts';
import type { AppDeps } from './deps.ts';
import { verifyDpop } from './dpop-step.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';

const SUBJECT = 'Pushed authorization request';

/** The session of this pushed request, and whether this request creates it. */
interface ResolvedSession {
  session: Session;
  created: boolean;
  findings: Finding[];
}

/** A session started by a wallet at PAR: the default profile's demands, the configurations it asked for. */
function walletInitiatedSession(deps: AppDeps, configurationIds: string[], now: number): Session {
  const approval = deps.config.walletInitiated === 'auto' ? 'auto' : 'tester';
  const preset = profiles[DEFAULT_PROFILE].defaults;
  return {
    id: deps.id(),
    status: 'offer_created',
    grant_type: AUTHORIZATION_CODE_GRANT,
    credential_configuration_ids: configurationIds,
    options: {
      profile: DEFAULT_PROFILE,
      overrides: [],
      require_dpop: preset.require_dpop,
      dpop_nonce: preset.dpop_nonce,
      require_key_attestation: preset.require_key_attestation,
      require_wallet_attestation: preset.require_wallet_attestation,
      strict: preset.strict,
      claims: {},
      trust_anchors: [],
      pre_authorized: false,
      authorization_code: { approval, issuer_state: false, wallet_initiated: true },
      refresh_tokens: true,
    },
    created_at: now,
    updated_at: now,
  };
}

async function resolveSession(
  request: FastifyRequest,
  deps: AppDeps,
  issuerState: string | undefined,
  scope: string | undefined,
  requestedIds: () => string[],
): Promise<ResolvedSession> {
  const now = deps.now();
  const findings: Finding[] = [];
  const offered = (session: Session): ResolvedSession => {
    if (!session.options.authorization_code)
      throw new ProtocolError('PAR-10.no_grant', `session ${session.id}`, {
        findings: [...findings, failure('PAR-10.no_grant')],
        subject: SUBJECT,
      });
    return { session, created: false, findings };
  };
  if (issuerState !== undefined) {
    const sessionId = await deps.store.authorization.sessionOfIssuerState(issuerState, now);
    findings.push(issuerStateFinding(sessionId !== undefined));
    if (sessionId !== undefined) {
      request.trail.sessionId = sessionId;
      return offered((await deps.store.sessions.get(sessionId))!);
    }
  }
  // A session-scoped issuer's PAR endpoint belongs to its session.
  if (scope !== undefined) {
    request.trail.sessionId = scope;
    return offered((await deps.store.sessions.get(scope))!);
  }
  if (deps.config.walletInitiated === 'off') {
    throw new ProtocolError('PAR-10.wallet_initiated_off', undefined, {
      findings: [...findings, failure('PAR-10.wallet_initiated_off')],
      subject: SUBJECT,
    });
  }
  return { session: walletInitiatedSession(deps, requestedIds(), now), created: true, findings };
}

export function parRoutes(deps: AppDeps) {
  return async function par(app: FastifyInstance): Promise<void> {
    app.post<{ Params: { scope?: string } }>(
      '/par',
      { config: { endpoint: '/par', malformedBody: 'PAR-01.content_type', wrongMediaType: 'PAR-01.content_type' } },
      async (request, reply) => {
        const refuse = (id: DiagnosticId, detail?: string, findings: Finding[] = []): never => {
          throw new ProtocolError(id, detail, { findings: [...findings, failure(id, detail)], subject: SUBJECT });
        };
        const type = mediaType(request) ?? '';
        if (type !== 'application/x-www-form-urlencoded' || !isObject(request.body))
          refuse('PAR-01.content_type', `Content-Type ${request.headers['content-type'] || '(none)'}`);
        const params = formParams(request.body as Record<string, unknown>, ['resource']);
        const ctx = { issuer: request.issuer.issuer, configurations: credentialConfigurations };
        // The request itself is checked once the DPoP key is known; its configurations name a new session's.
        const precheck = checkParRequest({ mediaType: type, body: request.body }, ctx);
        const resolved = await resolveSession(request, deps, params.get('issuer_state'), request.params.scope, () =>
          precheck.ok ? [...new Set(precheck.value.requested.map((r) => r.credential_configuration_id))] : [],
        );
        const { session } = resolved;
        const dpop =
          request.headers.dpop !== undefined
            ? await verifyDpop(request, deps, {
                path: '/par',
                requireNonce: session.options.dpop_nonce,
                algs: acceptedAlgs(session.options),
              })
            : undefined;
        // PAR-02: the same client authentication as at /token; with an attestation its sub is the client_id (PAR-07, WA-08).
        const client = await authenticateClient(request, deps, session, params.get('client_id'));
        const checked = checkParRequest(
          { mediaType: type, body: request.body, ...(dpop ? { dpopProofJkt: dpop.jkt } : {}) },
          ctx,
        );
        if (!checked.ok) throw rejected(checked, { subject: SUBJECT });
        const findings = [...resolved.findings, ...checked.findings];
        const parsed = checked.value;
        if (client.clientId !== null && client.clientId !== parsed.clientId)
          refuse(
            'WA-08.client_id',
            `client_id "${parsed.clientId.slice(0, 100)}", attestation sub "${client.clientId.slice(0, 100)}"`,
            findings,
          );
        const outside = parsed.requested.filter(
          (r) => !session.credential_configuration_ids.includes(r.credential_configuration_id),
        );
        if (outside.length > 0)
          refuse(
            'PAR-10.not_offered',
            `${outside.map((r) => r.credential_configuration_id).join(', ')} not among ${session.credential_configuration_ids.join(', ')}`,
            findings,
          );

        const reference = deps.secret();
        const now = deps.now();
        const pushed: PushedRequest = {
          client_id: parsed.clientId,
          redirect_uri: parsed.redirectUri,
          code_challenge: parsed.codeChallenge,
          ...(parsed.state !== undefined ? { state: parsed.state } : {}),
          requested: parsed.requested,
          dpop_jkt: parsed.dpopJkt ?? null,
          client_instance_jkt: client.instanceJkt,
          ...(parsed.issuerState !== undefined && !resolved.created ? { issuer_state: parsed.issuerState } : {}),
          wallet_initiated: resolved.created || session.options.authorization_code?.wallet_initiated === true,
        };
        request.trail.sessionId = session.id;
        request.trail.check(SUBJECT, findings, {
          facts: {
            client_id: parsed.clientId,
            redirect_uri: parsed.redirectUri,
            requested: parsed.requested.map((r) => r.credential_configuration_id),
            dpop_jkt: pushed.dpop_jkt,
            attested: client.instanceJkt !== null,
          },
        });
        const body = pushedAuthorizationResponse(reference);
        await request.trail.commit(deps.store, reply, 201, async (tx) => {
          if (resolved.created) {
            await tx.sessions.insert(session, null);
            await request.trail.event(
              tx,
              session.id,
              'wallet_initiated',
              { client_id: parsed.clientId, credential_configuration_ids: session.credential_configuration_ids },
              now,
            );
          }
          await tx.authorization.insertPar(sha256Url(reference), session.id, pushed, now, now + PAR_REQUEST_URI_TTL_S * 1000);
          await tx.sessions.advance(session.id, 'offer_retrieved', now);
          await request.trail.event(
            tx,
            session.id,
            'par_received',
            {
              client_id: parsed.clientId,
              credential_configuration_ids: parsed.requested.map((r) => r.credential_configuration_id),
              via: [...new Set(parsed.requested.map((r) => r.via))],
              dpop_bound: pushed.dpop_jkt !== null,
              attested: client.instanceJkt !== null,
              issuer_state: pushed.issuer_state !== undefined,
            },
            now,
          );
        });
        return reply.code(201).header('cache-control', 'no-cache, no-store').send(body);
      },
    );
    rejectOtherMethods(app, '/par', '/par');
  };
}
