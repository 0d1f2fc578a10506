/**
 * Everything that depends on the Credential Issuer Identifier. Built per
 * request: PUBLIC_URL itself, or a session-scoped identifier PUBLIC_URL/s/<session>
 * for offers whose demands change the metadata a wallet must see.
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

export const SCOPE_SEGMENT = '/s';

/** The identifier of a session that publishes its own metadata (e.g. key_attestations_required). */
export function sessionScopedContext(root: IssuerContext, sessionId: string): IssuerContext {
  return issuerContextFor(`${root.issuer}${SCOPE_SEGMENT}/${sessionId}`);
}
