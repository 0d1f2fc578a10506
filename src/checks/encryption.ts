import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { decryptRequest, type ResponseEncryption } from '../lifecycle/encryption.ts';
import type { RequestEncryptionKey } from '../lifecycle/encryption-keys.ts';
import type {
  CredentialRequestEncryptionMetadata,
  CredentialResponseEncryptionMetadata,
} from '../lifecycle/encryption-metadata.ts';
import { type Checked, Findings } from './finding.ts';
import { isObject, privateMembers } from './jose-helpers.ts';

// OID4VCI 1.0 Sections 8.2, 10 and 12.2.4 (ENC-01..04). Error responses are never encrypted
// (ENC-05): the caller encrypts only a successful response, with what these checks return.

// RFC 7518 Section 4.6 and RFC 8037 Section 3.2: the curves ECDH-ES agrees a key over, as jose does.
const ECDH_CURVES: Record<string, readonly string[]> = { EC: ['P-256', 'P-384', 'P-521'], OKP: ['X25519'] };

const notOneOf = (name: string, value: unknown, allowed: readonly string[]) =>
  `${name} ${JSON.stringify(value)} is not one of ${allowed.join(', ') || '(none are supported)'}`;

function encryptionKeyProblem(jwk: JWK, alg: string): string | null {
  if (jwk.use !== undefined && jwk.use !== 'enc') return `use is ${JSON.stringify(jwk.use)}, not "enc"`;
  const [kty, crv] = [String(jwk.kty), String(jwk.crv)];
  if (alg.startsWith('ECDH-ES') && !ECDH_CURVES[kty]?.includes(crv)) return `${alg} cannot agree a key with a ${kty} ${crv} key`;
  try {
    createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return null;
  } catch (error) {
    return `the jwk is not a usable public key: ${(error as Error).message}`;
  }
}

/**
 * credential_response_encryption of a credential request (ENC-01, ENC-02), and whether the request
 * carrying it was encrypted (ENC-03). Returns the accepted parameters, or null when none were sent.
 */
export function checkResponseEncryptionParams(
  value: unknown,
  supported: CredentialResponseEncryptionMetadata | undefined,
  requestEncrypted: boolean,
): Checked<ResponseEncryption | null> {
  const f = new Findings();
  if (value === undefined) {
    if (supported?.encryption_required) return f.fail('ENC-02');
    if (supported) f.pass('ENC-02');
    return f.ok(null);
  }
  if (!supported) return f.fail('ENC-01.unsupported');
  f.pass('ENC-02');
  if (
    !isObject(value) ||
    !isObject(value.jwk) ||
    typeof value.enc !== 'string' ||
    (value.zip !== undefined && typeof value.zip !== 'string')
  ) {
    return f.fail('ENC-01.malformed', 'expected {"jwk": {...}, "enc": "<string>", "zip"?: "<string>"}');
  }
  const jwk = value.jwk as JWK;
  const secret = privateMembers(jwk);
  if (secret.length > 0) return f.fail('ENC-01.private', `jwk contains ${secret.join(', ')}`);
  if (value.alg !== undefined) {
    if (jwk.alg === undefined)
      return f.fail('ENC-01.draft13', `alg ${JSON.stringify(value.alg)} is beside the jwk, which has no alg`);
    if (value.alg !== jwk.alg)
      return f.fail(
        'ENC-01.draft13',
        `alg ${JSON.stringify(value.alg)} beside the jwk is not jwk.alg ${JSON.stringify(jwk.alg)}`,
      );
    f.warn('ENC-01.draft13_ignored', `alg ${JSON.stringify(value.alg)} beside the jwk`);
  }
  if (typeof jwk.alg !== 'string') return f.fail('ENC-01.jwk_alg');
  const { alg_values_supported: algs, enc_values_supported: encs, zip_values_supported: zips = [] } = supported;
  if (!algs.includes(jwk.alg)) return f.fail('ENC-01.alg', notOneOf('jwk.alg', jwk.alg, algs));
  if (!encs.includes(value.enc)) return f.fail('ENC-01.enc', notOneOf('enc', value.enc, encs));
  if (value.zip !== undefined && !zips.includes(value.zip)) return f.fail('ENC-01.zip', notOneOf('zip', value.zip, zips));
  const keyProblem = encryptionKeyProblem(jwk, jwk.alg);
  if (keyProblem) return f.fail('ENC-01.key', keyProblem);
  if (value.alg === undefined) f.pass('ENC-01'); // else it stands as the draft-13 warning
  if (!requestEncrypted) return f.fail('ENC-03', 'the request was sent as application/json');
  f.pass('ENC-03');
  return f.ok({ jwk, enc: value.enc, ...(value.zip === undefined ? {} : { zip: value.zip }) });
}

export interface RequestEncryptionOffer {
  metadata: CredentialRequestEncryptionMetadata;
  keys: readonly RequestEncryptionKey[];
}

/**
 * ENC-04: a request sent as application/jwt must decrypt with a key of credential_request_encryption;
 * a plain one is refused when encryption_required. The payload is the credential request to check next.
 */
export async function checkRequestEncryption(
  contentType: string | undefined,
  body: unknown,
  offer: RequestEncryptionOffer | undefined,
): Promise<Checked<{ payload: unknown; encrypted: boolean }>> {
  const f = new Findings();
  const mediaType = contentType === undefined ? undefined : contentType.split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/jwt') {
    if (offer?.metadata.encryption_required) return f.fail('ENC-04.required', `Content-Type is ${contentType ?? '(none)'}`);
    if (offer) f.pass('ENC-04');
    return f.ok({ payload: body, encrypted: false });
  }
  if (!offer) return f.fail('ENC-04.unsupported');
  const decrypted = await decryptRequest(body, offer.keys, offer.metadata);
  if (!decrypted.ok) return f.fail(`ENC-04.${decrypted.problem}`, decrypted.reason);
  f.pass('ENC-04');
  return f.ok({ payload: decrypted.payload, encrypted: true });
}
