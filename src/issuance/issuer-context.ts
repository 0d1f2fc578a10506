/**
 * Everything that depends on the Credential Issuer Identifier. Built per
 * request (today from PUBLIC_URL) so that later a tenant or per-offer issuer
 * can supply its own without touching the endpoints.
 */
export interface IssuerContext {
  /** Credential Issuer Identifier, also the authorization server issuer. */
  issuer: string;
  /** Path part of the identifier ('' or '/tenant'); endpoints live below it. */
  basePath: string;
  origin: string;
  url(path: string): string;
  /** MD-01 / ASM-01: /.well-known/<suffix> inserted between host and path. */
  wellKnownPath(suffix: string): string;
}

export function issuerContextFor(publicUrl: string): IssuerContext {
  const url = new URL(publicUrl);
  const basePath = url.pathname.replace(/\/$/, '');
  const issuer = `${url.origin}${basePath}`;
  return {
    issuer,
    basePath,
    origin: url.origin,
    url: (path) => `${issuer}${path}`,
    wellKnownPath: (suffix) => `/.well-known/${suffix}${basePath}`,
  };
}
