import { KeyObject, sign } from 'node:crypto';
import { digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { sdJwtStatusClaim } from '../../lifecycle/referenced-token.ts';
import { roundTimeClaims } from '../../lifecycle/time-claims.ts';
import { randomToken } from '../../random.ts';
import type { MintContext } from '../format.ts';
import type { SdJwtVcConfiguration } from './configurations.ts';

/**
 * dc+sd-jwt (OID4VCI 1.0 Appendix A.3, SD-JWT VC -13). Every subject claim is selectively
 * disclosable, recursively for objects; iss, iat, nbf, exp, vct and cnf stay in the clear as SD-JWT
 * VC requires (FMT-SD-04). The header carries the leaf in x5c (FMT-SD-06).
 */
export async function mintSdJwtVc(
  config: SdJwtVcConfiguration,
  claims: Record<string, unknown>,
  { key, holderJwk, now, issuer, status }: MintContext,
): Promise<string> {
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    hashAlg: 'sha-256',
    // 128 random bits per salt (RFC 9901 Section 9.3; FMT-SD-09), from the pool: the library's
    // generator draws 64 bits with one getrandom call each.
    saltGenerator: () => randomToken(16),
    signAlg: key.alg,
    // JWS ES256 signatures are raw r||s (IEEE P1363), not DER.
    signer: (data: string) =>
      sign('sha256', Buffer.from(data), { key: KeyObject.from(key.privateKey), dsaEncoding: 'ieee-p1363' }).toString('base64url'),
  });
  const iat = Math.floor(now / 1000);
  // FMT-ALL-01 (OID4VCI 1.0 Section 15.4.1): rounded, so the times do not link a batch.
  const times = roundTimeClaims({ iat, nbf: iat, exp: iat + config.validity_days * 86400 });
  return sdjwt.issue(
    {
      iss: issuer,
      ...times,
      vct: config.vct,
      // FMT-SD-07, H-15: never selectively disclosable (it is not among the claims the frame lists).
      ...(status ? { status: sdJwtStatusClaim(status.uri, status.idx) } : {}),
      // FMT-SD-05: the proof key itself.
      cnf: { jwk: holderJwk },
      ...claims,
    },
    // The frame is built at run time from the claims, which the library's literal-key types cannot express.
    disclosureFrame(claims) as never,
    { header: { typ: 'dc+sd-jwt', kid: key.kid, x5c: key.x5c } },
  );
}

function disclosureFrame(claims: Record<string, unknown>): Record<string, unknown> {
  const frame: Record<string, unknown> = { _sd: Object.keys(claims) };
  for (const [name, value] of Object.entries(claims)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      frame[name] = disclosureFrame(value as Record<string, unknown>);
    }
  }
  return frame;
}
