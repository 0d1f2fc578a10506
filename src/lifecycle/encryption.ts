import {
  CompactEncrypt,
  type CompactJWEHeaderParameters,
  compactDecrypt,
  decodeProtectedHeader,
  importJWK,
  type JWK,
} from 'jose';
import { isObject } from '../checks/jose-helpers.ts';
import type { RequestEncryptionKey } from './encryption-keys.ts';
import type { CredentialRequestEncryptionMetadata } from './encryption-metadata.ts';

// Encrypted credential requests and responses, OID4VCI 1.0 Section 10: the message is a JWT whose
// claims are the JSON request or response, encrypted as a compact JWE (media type application/jwt).

const COMPACT_JWE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Why a request did not decrypt; each code is one ENC-04 diagnostic. */
export type RequestDecryptionProblem = 'malformed' | 'kid' | 'alg' | 'enc' | 'zip' | 'decrypt' | 'payload';

export type DecryptedRequest =
  | { ok: true; payload: Record<string, unknown>; header: CompactJWEHeaderParameters; kid: string }
  | { ok: false; problem: RequestDecryptionProblem; reason: string };

const fail = (problem: RequestDecryptionProblem, reason: string): DecryptedRequest => ({ ok: false, problem, reason });
const notOneOf = (name: string, value: unknown, allowed: readonly string[]) =>
  `${name} ${JSON.stringify(value)} is not one of ${allowed.join(', ') || '(none are supported)'}`;

/** Decrypts a request JWE to the issuer key its kid names, accepting only the advertised enc and zip values. */
export async function decryptRequest(
  jwe: unknown,
  keys: readonly RequestEncryptionKey[],
  accepted: Pick<CredentialRequestEncryptionMetadata, 'enc_values_supported' | 'zip_values_supported'>,
): Promise<DecryptedRequest> {
  if (typeof jwe !== 'string' || !COMPACT_JWE.test(jwe))
    return fail('malformed', 'the body is not five base64url parts separated by dots');
  let header: CompactJWEHeaderParameters;
  try {
    header = decodeProtectedHeader(jwe) as CompactJWEHeaderParameters;
  } catch (error) {
    return fail('malformed', `the protected header is not JSON: ${(error as Error).message}`);
  }
  const key = keys.find((k) => k.kid === header.kid);
  if (!key)
    return fail(
      'kid',
      header.kid === undefined
        ? 'the JWE has no kid header'
        : notOneOf(
            'kid',
            header.kid,
            keys.map((k) => k.kid),
          ),
    );
  if (header.alg !== key.publicJwk.alg)
    return fail('alg', `alg is ${JSON.stringify(header.alg)}, key ${key.kid} is for ${key.publicJwk.alg}`);
  const { enc_values_supported: encs, zip_values_supported: zips = [] } = accepted;
  if (!encs.includes(header.enc)) return fail('enc', notOneOf('enc', header.enc, encs));
  if (header.zip !== undefined && !zips.includes(header.zip)) return fail('zip', notOneOf('zip', header.zip, zips));
  let plaintext: Uint8Array;
  try {
    const only = { keyManagementAlgorithms: [header.alg], contentEncryptionAlgorithms: [header.enc] };
    ({ plaintext } = await compactDecrypt(jwe, key.privateKey, only));
  } catch (error) {
    return fail('decrypt', (error as Error).message);
  }
  // A nested (signed, then encrypted) JWT would carry cty JWT; a credential request has no signer.
  if (typeof header.cty === 'string' && /^(application\/)?jwt$/i.test(header.cty))
    return fail('payload', 'the plaintext is a nested JWT, not JSON');
  try {
    const payload: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
    if (isObject(payload)) return { ok: true, payload, header, kid: key.kid };
    return fail('payload', 'the plaintext is JSON but not an object');
  } catch (error) {
    return fail('payload', `the plaintext is not UTF-8 JSON: ${(error as Error).message}`);
  }
}

/** What checkResponseEncryptionParams accepted: the wallet key (with alg), enc and zip. */
export interface ResponseEncryption {
  jwk: JWK;
  enc: string;
  zip?: string;
}

/**
 * The response JWE: alg is jwk.alg, the jwk's kid is echoed in the header, zip DEF compresses
 * before encryption. Only for successful responses: error responses are never encrypted (ENC-05).
 */
export async function encryptResponse(payload: Record<string, unknown>, params: ResponseEncryption): Promise<string> {
  const { jwk, enc, zip } = params;
  if (typeof jwk.alg !== 'string')
    throw new Error('the response encryption jwk has no alg (checkResponseEncryptionParams rejects that)');
  const header: CompactJWEHeaderParameters = {
    alg: jwk.alg,
    enc,
    ...(jwk.kid === undefined ? {} : { kid: jwk.kid }),
    ...(zip === undefined ? {} : { zip }),
  };
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header)
    .encrypt(await importJWK(jwk, jwk.alg));
}
