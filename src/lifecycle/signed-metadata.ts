import { signX5cJwt, type X5cSigner } from './x5c-signer.ts';

// Signed Credential Issuer Metadata, OID4VCI 1.0 Section 12.2.3 (MD-11), with HAIP 1.0 Section 4.1
// (H-08): the key travels as x5c, the leaf only. Served as application/jwt (Section 12.2.2).

export const SIGNED_METADATA_TYP = 'openidvci-issuer-metadata+jwt';

export interface IssuerMetadata {
  credential_issuer: string;
  [parameter: string]: unknown;
}

export interface SignedMetadataOptions {
  now: number;
  /** exp is OPTIONAL; without this the signed metadata does not expire. */
  validForSeconds?: number;
}

/**
 * Every metadata parameter becomes a top-level claim, beside sub (the Credential Issuer
 * Identifier) and iat, both REQUIRED. iss is OPTIONAL and names a third party attesting the
 * metadata; the issuer signs its own, which sub and the x5c leaf already say, so it is left out.
 */
export async function signMetadata(metadata: IssuerMetadata, signer: X5cSigner, options: SignedMetadataOptions): Promise<string> {
  const iat = Math.floor(options.now / 1000);
  const claims = {
    ...metadata,
    sub: metadata.credential_issuer,
    iat,
    ...(options.validForSeconds === undefined ? {} : { exp: iat + options.validForSeconds }),
  };
  return signX5cJwt(SIGNED_METADATA_TYP, claims, signer);
}
