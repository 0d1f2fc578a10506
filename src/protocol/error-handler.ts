import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from '../checks/finding.ts';
import { type DiagnosticId, errorDescription, ProtocolError, ruleOf } from '../diagnostics/index.ts';
import { DPOP_SIGNING_ALGS } from '../issuance/metadata.ts';

const DPOP_ERRORS = new Set(['invalid_dpop_proof', 'use_dpop_nonce']);

/** Fastify's own failures (unparsable body, size, media type) expressed as catalogue entries. */
export function asProtocolError(error: FastifyError, request: FastifyRequest): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const config = request.routeOptions.config;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ProtocolError('HTTP.body_too_large');
  if (error.code?.startsWith('FST_CSRF_')) return new ProtocolError('UI.csrf');
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return new ProtocolError(
      config.wrongMediaType ?? 'HTTP.unsupported_media_type',
      `Content-Type ${request.headers['content-type'] ?? '(none)'}`,
    );
  }
  if (error.code?.startsWith('FST_ERR_CTP_') || error.statusCode === 400) {
    return new ProtocolError(config.malformedBody ?? 'HTTP.malformed_body', error.message);
  }
  return new ProtocolError('HTTP.internal');
}

/** Records a rejection, explained, in the request's trail (also where a page, not JSON, answers it). */
export function recordRejection(request: FastifyRequest, rejection: ProtocolError, status = rejection.diagnostic.status): void {
  const { subject, jwt, facts } = rejection.context;
  const id = rejection.diagnostic.id as DiagnosticId;
  // A step that refused without a check of its own still counts as a failure of its rule in the report.
  const findings = rejection.context.findings ?? (ruleOf(id) ? [failure(id, rejection.detail)] : []);
  request.trail?.rejection(
    {
      diagnostic: id,
      ...(rejection.detail ? { detail: rejection.detail } : {}),
      status,
      error: rejection.diagnostic.error,
      ...(subject ? { subject } : {}),
      ...(jwt ? { jwt } : {}),
      ...(facts ? { facts } : {}),
      findings: [...findings],
    },
    rejection.context.commit,
  );
}

/** RFC 6750 Section 3.1: a request without any credentials gets a challenge and no error information. */
const NO_CREDENTIALS: DiagnosticId = 'CRED-03.missing';

/**
 * The one error path: answers the wallet with the catalogue's code and status (and the headers
 * RFC 6750 / RFC 9449 ask for) and records the rejection, explained, in the request's trail.
 */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const rejection = asProtocolError(error, request);
  const d = rejection.diagnostic;
  if (d.status >= 500) request.log.error({ err: error }, 'unexpected error');

  const resource = request.routeOptions.config.resource === true;
  // RFC 9449 Sections 7.1, 9: DPoP failures at a protected resource are 401 challenges, at the AS 400s.
  const status = resource && DPOP_ERRORS.has(d.error) ? 401 : d.status;
  const headers: Record<string, string> = { 'cache-control': 'no-store', ...rejection.headers };
  if (resource && (status === 401 || status === 403)) {
    const scheme = request.trail?.tokenType === 'Bearer' ? 'Bearer' : 'DPoP';
    const params = d.id === NO_CREDENTIALS ? [] : [`error="${d.error}"`, `error_description="${errorDescription(d.title)}"`];
    if (scheme === 'DPoP') params.push(`algs="${DPOP_SIGNING_ALGS.join(' ')}"`);
    headers['www-authenticate'] = params.length ? `${scheme} ${params.join(', ')}` : scheme;
  }
  if (status === 405) headers.allow = 'POST';

  recordRejection(request, rejection, status);

  // CRED-03: no credentials at all means no error code and no description either.
  const body: Record<string, unknown> =
    d.id === NO_CREDENTIALS ? {} : { error: d.error, error_description: errorDescription(rejection.message) };
  Object.assign(body, rejection.context.response);
  return reply.code(status).headers(headers).send(body);
}
