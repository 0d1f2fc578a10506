import { createPublicKey, ECDH, type JsonWebKey } from 'node:crypto';
import type { JWK } from 'jose';
import { type Checked, Findings } from './finding.ts';
import { isObject, privateMembers } from './jose-helpers.ts';
import { decodeBase58btc, readVarint } from './multibase.ts';

// Holder keys named by a DID URL in the kid of a key proof (OID4VCI 1.0 Appendix F.1, PRF-03,
// PRF-06). did:jwk and did:key carry the key in the identifier, so resolution is pure and local;
// every other method would need the network and is reported as unsupported.

export interface ResolvedDidKey {
  method: 'jwk' | 'key';
  did: string;
  jwk: JWK;
}

// did:key v0.7 Section 3.1.4 and the multicodec table: public key codes and their key sizes.
const EC_CODECS: Record<number, { crv: string; curve: string; bytes: number }> = {
  4608: { crv: 'P-256', curve: 'prime256v1', bytes: 33 },
  4609: { crv: 'P-384', curve: 'secp384r1', bytes: 49 },
  4610: { crv: 'P-521', curve: 'secp521r1', bytes: 67 },
};
const ED25519_CODEC = 0xed;
const OTHER_CODECS: Record<number, string> = {
  231: 'secp256k1',
  236: 'X25519',
  235: 'BLS12-381 G1',
  238: 'BLS12-381 G2',
  4613: 'RSA',
  4611: 'SM2',
};
const AGREEMENT_ONLY_CURVES = ['X25519', 'X448'];

type Problem = 'unresolvable' | 'private' | 'key_type';
type Decoded = { kind: 'key'; jwk: JWK } | { [K in Problem]: { kind: K; reason: string } }[Problem];
const problem = (kind: Problem, reason: string): Decoded => ({ kind, reason }) as Decoded;

const DID_URL = /^did:([a-z0-9]+):([^#?/]+)(?:#(.*))?$/;

export function resolveDidKey(didUrl: string): Checked<ResolvedDidKey> {
  const f = new Findings();
  const method = /^did:([a-z0-9]+):/.exec(didUrl)?.[1];
  if (method !== undefined && method !== 'jwk' && method !== 'key') {
    return f.fail('PRF-06.did_method', `did:${method} needs network resolution; did:jwk and did:key resolve here`);
  }
  const parts = DID_URL.exec(didUrl);
  if (!parts || method === undefined)
    return f.fail('PRF-03.did_unresolvable', 'not a DID URL of the form did:<method>:<id>[#<fragment>]');
  const [, , id, fragment] = parts as unknown as [string, string, string, string | undefined];
  const decoded = method === 'jwk' ? decodeDidJwk(id, fragment) : decodeDidKey(id, fragment);
  if (decoded.kind === 'unresolvable') return f.fail('PRF-03.did_unresolvable', decoded.reason);
  f.pass('PRF-03');
  if (decoded.kind === 'private') return f.fail('PRF-04', decoded.reason);
  if (method === 'jwk') f.pass('PRF-04');
  if (decoded.kind === 'key_type') return f.fail('PRF-06.did_key_type', decoded.reason);
  f.pass('PRF-06');
  return f.ok({ method, did: `did:${method}:${id}`, jwk: decoded.jwk });
}

/** did:jwk Sections 2.2, 2.4: base64url of the JWK JSON; the only verification method is #0. */
function decodeDidJwk(id: string, fragment: string | undefined): Decoded {
  if (fragment !== undefined && fragment !== '0')
    return problem('unresolvable', `did:jwk has one verification method, #0, not #${fragment}`);
  let jwk: unknown;
  try {
    jwk = JSON.parse(Buffer.from(id, 'base64url').toString('utf8'));
  } catch {
    return problem('unresolvable', 'the method-specific id is not base64url of JSON');
  }
  if (!isObject(jwk) || typeof jwk.kty !== 'string') return problem('unresolvable', 'the decoded JSON is not a JWK');
  // did:jwk Section 4: a JWK with private key material must be rejected.
  const secret = privateMembers(jwk as JWK);
  if (secret.length > 0) return problem('private', `the did:jwk JWK contains ${secret.join(', ')}`);
  try {
    createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch (error) {
    return problem('unresolvable', `the JWK is not a usable public key: ${(error as Error).message}`);
  }
  if (jwk.use === 'enc') return problem('key_type', 'the JWK has "use": "enc", so the DID has only keyAgreement');
  if (AGREEMENT_ONLY_CURVES.includes(String(jwk.crv))) return problem('key_type', `${String(jwk.crv)} is a key agreement curve`);
  return { kind: 'key', jwk: jwk as JWK };
}

/** did:key v0.7 Sections 3.1.2, 3.1.4: "z" + base58btc(varint(codec) || public key). */
function decodeDidKey(id: string, fragment: string | undefined): Decoded {
  if (fragment !== undefined && fragment !== id)
    return problem('unresolvable', `did:key has one verification method, #${id}, not #${fragment}`);
  const bytes = id.startsWith('z') ? decodeBase58btc(id.slice(1)) : undefined;
  if (!bytes)
    return problem('unresolvable', 'the method-specific id is not multibase base58btc ("z" followed by base58 characters)');
  const codec = readVarint(bytes);
  if (!codec) return problem('unresolvable', 'no multicodec prefix');
  const key = bytes.subarray(codec.length);
  const hex = `0x${codec.value.toString(16)}`;
  if (codec.value === ED25519_CODEC) {
    if (key.length !== 32) return problem('unresolvable', `an Ed25519 key has 32 bytes, not ${key.length}`);
    return { kind: 'key', jwk: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key).toString('base64url') } };
  }
  const ec = EC_CODECS[codec.value];
  const name = OTHER_CODECS[codec.value];
  if (!ec) return problem('key_type', `multicodec ${hex}${name ? ` (${name})` : ''} is not a supported signing key type`);
  if (key.length !== ec.bytes || (key[0] !== 0x02 && key[0] !== 0x03))
    return problem('unresolvable', `a ${ec.crv} key is a ${ec.bytes}-byte compressed point`);
  let point: Buffer;
  try {
    // SEC 1 Section 2.3.4: node:crypto decompresses the point and refuses one off the curve.
    point = ECDH.convertKey(key, ec.curve, undefined, undefined, 'uncompressed') as Buffer;
  } catch {
    return problem('unresolvable', `the ${ec.crv} point is not on the curve`);
  }
  const [x, y] = [point.subarray(1, ec.bytes), point.subarray(ec.bytes)];
  return { kind: 'key', jwk: { kty: 'EC', crv: ec.crv, x: x.toString('base64url'), y: y.toString('base64url') } };
}
