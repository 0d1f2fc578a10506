import { decodeCompactJwt } from '../../checks/jose-helpers.ts';
import type { DecodedCredential } from '../format.ts';

// FMT-SD-02: the compact serialization, <issuer-signed JWT>~<disclosure>~...~[<key binding JWT>].
const COMPACT_SD_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*(~[A-Za-z0-9_-]*)+$/;

/** Whether a string has the SD-JWT compact serialization (a JWT followed by `~`-separated parts). */
export function isCompactSdJwt(value: unknown): value is string {
  return typeof value === 'string' && COMPACT_SD_JWT.test(value);
}

function disclosure(part: string): Record<string, unknown> {
  try {
    const [salt, ...claim] = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown[];
    return claim.length === 2 ? { salt, name: claim[0], value: claim[1] } : { salt, value: claim[0] };
  } catch {
    return { undecodable: part };
  }
}

/** The issuer-signed JWT's header and payload and every disclosure (salt, name, value); never throws. */
export function decodeSdJwt(credential: unknown): DecodedCredential {
  if (!isCompactSdJwt(credential)) {
    return { undecodable: 'not an SD-JWT in compact serialization: <JWT>~<disclosure>~...~ (FMT-SD-02)' };
  }
  const [jwt, ...rest] = credential.split('~');
  const decoded = decodeCompactJwt(jwt);
  if (!decoded) return { undecodable: 'the part before the first ~ is not a JWS with JSON header and payload' };
  const keyBinding = decodeCompactJwt(rest.at(-1));
  const disclosures = (keyBinding ? rest.slice(0, -1) : rest).filter((part) => part !== '');
  return {
    ...decoded,
    disclosures: disclosures.map(disclosure),
    ...(keyBinding ? { key_binding_jwt: keyBinding } : {}),
  };
}
