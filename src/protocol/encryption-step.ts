// OID4VCI 1.0 Section 10 at the credential and deferred endpoints (ENC-01..05): an application/jwt
// request is decrypted and its JSON checked like a plain one; a response is encrypted to the
// wallet's credential_response_encryption.jwk. Error responses never are (ENC-05).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkRequestEncryption, checkResponseEncryptionParams } from '../checks/encryption.ts';
import { failure } from '../checks/finding.ts';
import { jwkThumbprint } from '../checks/jose-helpers.ts';
import { ProtocolError, rejected } from '../diagnostics/index.ts';
import type { Session } from '../domain/session.ts';
import { sessionEncryptionMetadata } from '../issuance/encryption-key.ts';
import { encryptResponse, type ResponseEncryption } from '../lifecycle/encryption.ts';
import type { AppDeps } from './deps.ts';
import { mediaType } from './post-only.ts';

/** Encrypted requests arrive as application/jwt: the compact JWE as a string. */
export function acceptEncryptedBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/jwt', { parseAs: 'string' }, (_request, body, done) => done(null, String(body).trim()));
}

/**
 * ENC-04: the request as JSON, decrypted when it came as application/jwt; any other media type is
 * CRED-01. The decrypted request is logged as a check of its own, beside the JWE the wallet sent.
 */
export async function decryptedRequest(
  request: FastifyRequest,
  deps: AppDeps,
  session: Session,
  subject: string,
): Promise<{ body: unknown; encrypted: boolean }> {
  const type = mediaType(request);
  if (type !== 'application/json' && type !== 'application/jwt') {
    const detail = `Content-Type ${request.headers['content-type'] ?? '(none)'}`;
    throw new ProtocolError('CRED-01.content_type', detail, { findings: [failure('CRED-01.content_type', detail)], subject });
  }
  const { credential_request_encryption: metadata } = sessionEncryptionMetadata(
    deps.requestEncryptionKeys,
    session.options.require_encryption,
  );
  const checked = await checkRequestEncryption(request.headers['content-type'], request.body, {
    metadata,
    keys: deps.requestEncryptionKeys,
  });
  const where = `Encryption of the ${subject.toLowerCase()}`;
  if (!checked.ok) throw rejected(checked, { subject: where });
  if (checked.value.encrypted) {
    request.trail.check(where, checked.findings, {
      facts: { decrypted_request: checked.value.payload, encryption_required: metadata.encryption_required },
    });
  }
  return { body: checked.value.payload, encrypted: checked.value.encrypted };
}

/** ENC-01..03: the accepted credential_response_encryption of the (decrypted) request, or null. */
export function responseEncryption(
  request: FastifyRequest,
  deps: AppDeps,
  session: Session,
  body: unknown,
  encrypted: boolean,
  subject: string,
): ResponseEncryption | null {
  const { credential_response_encryption: supported } = sessionEncryptionMetadata(
    deps.requestEncryptionKeys,
    session.options.require_encryption,
  );
  const value =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).credential_response_encryption : undefined;
  const checked = checkResponseEncryptionParams(value, supported, encrypted);
  const where = 'Response encryption parameters';
  if (!checked.ok) throw rejected(checked, { subject: where });
  const params = checked.value;
  if (params) {
    request.trail.check(where, checked.findings, {
      facts: {
        note: `The ${subject.toLowerCase()} response is encrypted (JWE, application/jwt) to the wallet key below.`,
        alg: params.jwk.alg,
        enc: params.enc,
        ...(params.zip ? { zip: params.zip } : {}),
        ...(params.jwk.kid ? { kid: params.jwk.kid } : {}),
        jwk_thumbprint: jwkThumbprint(params.jwk),
      },
    });
  }
  return params;
}

/** CRED-23: JSON, or the JWE of it as application/jwt when the wallet asked for encryption. */
export async function sendResponse(
  reply: FastifyReply,
  payload: Record<string, unknown>,
  encryption: ResponseEncryption | null,
): Promise<FastifyReply> {
  if (!encryption) return reply.send(payload);
  return reply.type('application/jwt').send(await encryptResponse(payload, encryption));
}
