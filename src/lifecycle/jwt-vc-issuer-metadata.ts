import type { JWK } from 'jose';

// JWT VC Issuer Metadata, SD-JWT VC -13 Section 5 (FMT-SD-11): where a verifier finds the issuer
// keys of an SD-JWT VC whose iss is an https URL, besides the x5c leaf and its subjectAltName.

export const JWT_VC_ISSUER_WELL_KNOWN = '/.well-known/jwt-vc-issuer';

/** Sections 5, 5.1: the well-known segment goes between the host and the path, less a trailing "/". */
export function jwtVcIssuerMetadataUrl(issuer: string): string {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}${JWT_VC_ISSUER_WELL_KNOWN}${path}`;
}

/** Section 5.2: issuer equal to the iss of the credentials, and the keys inline (jwks, not jwks_uri). */
export function jwtVcIssuerMetadata(issuer: string, publicJwks: readonly JWK[]): { issuer: string; jwks: { keys: JWK[] } } {
  const secret = publicJwks.find((jwk) => 'd' in jwk);
  if (secret) throw new Error(`key ${secret.kid ?? ''} is private; JWT VC Issuer Metadata publishes public keys only`);
  return { issuer, jwks: { keys: [...publicJwks] } };
}
