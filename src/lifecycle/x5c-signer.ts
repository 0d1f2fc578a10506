import { type JWTPayload, SignJWT } from 'jose';
import type { IssuerSigningKey } from '../issuance/keys.ts';

/**
 * What signs the issuer's lifecycle artefacts (status lists, signed metadata): an ES256 key whose
 * x5c is the CA-issued leaf only, never the CA (HAIP 1.0 Sections 4.1, 6.1, 6.1.1).
 */
export type X5cSigner = Pick<IssuerSigningKey, 'privateKey' | 'x5c'>;

/** A compact ES256 JWS of the claims with typ, the signer's x5c and any further header members. */
export function signX5cJwt(
  typ: string,
  claims: JWTPayload,
  signer: X5cSigner,
  header: Record<string, string> = {},
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ, x5c: signer.x5c, ...header }).sign(signer.privateKey);
}
