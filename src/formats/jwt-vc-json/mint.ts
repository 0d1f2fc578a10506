import { randomUUID } from 'node:crypto';
import { base64url, SignJWT } from 'jose';
import { bitstringStatusEntry } from '../../lifecycle/bitstring-status-credential.ts';
import { roundTimeClaims } from '../../lifecycle/time-claims.ts';
import type { MintContext } from '../format.ts';
import type { JwtVcJsonConfiguration } from './configurations.ts';

/**
 * jwt_vc_json (OID4VCI 1.0 Appendix A.1.1): a W3C VC Data Model 1.1 credential in a JWT (vc
 * claim), bound to the holder key by cnf.jwk and a did:jwk subject. The claims are credentialSubject.
 */
export async function mintJwtVcJson(
  config: JwtVcJsonConfiguration,
  claims: Record<string, unknown>,
  { key, holderJwk, now, issuer, subjectId, holderDid, status }: MintContext,
): Promise<string> {
  // PRF-06: a key proven by a DID binds the credential to that DID (credentialSubject.id and sub).
  const subject = holderDid ?? subjectId ?? `did:jwk:${base64url.encode(JSON.stringify(holderJwk))}`;
  // FMT-ALL-01 (OID4VCI 1.0 Section 15.4.1): rounded, so the times do not link a batch.
  const { iat, exp } = roundTimeClaims({
    iat: Math.floor(now / 1000),
    exp: Math.floor(now / 1000) + config.validity_days * 86400,
  });
  const jti = `urn:uuid:${randomUUID()}`;
  return new SignJWT({
    vc: {
      '@context': ['https://www.w3.org/2018/credentials/v1'],
      type: config.type,
      id: jti,
      issuer,
      issuanceDate: new Date(iat * 1000).toISOString(),
      expirationDate: new Date(exp * 1000).toISOString(),
      credentialSubject: { id: subject, ...claims },
      // W3C Bitstring Status List v1.0: one entry per purpose, at the same index of the list.
      ...(status
        ? {
            credentialStatus: (['revocation', 'suspension'] as const).map((purpose) =>
              bitstringStatusEntry(purpose, `${status.uri}/${purpose}`, status.idx),
            ),
          }
        : {}),
    },
    cnf: { jwk: holderJwk },
  })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', kid: key.kid, x5c: key.x5c })
    .setIssuer(issuer)
    .setSubject(subject)
    .setJti(jti)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(exp)
    .sign(key.privateKey);
}
