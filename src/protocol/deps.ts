import { customAlphabet } from 'nanoid';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import type { IssuerSigningKey } from '../issuance/keys.ts';
import type { Store } from '../store/index.ts';
import type { Trail } from './trail.ts';
import type { IssuerContext } from '../issuance/issuer-context.ts';

/** Everything a route needs, injected so tests can replace the clock and the random values. */
export interface AppDeps {
  config: Config;
  store: Store;
  issuerKey: IssuerSigningKey;
  now: () => number;
  /** Unguessable values: codes, tokens, nonces (base64url, 256 bits unless noted). */
  secret: () => string;
  /** Short public ids: sessions, offers. */
  id: () => string;
}

declare module 'fastify' {
  interface FastifyRequest {
    trail: Trail;
    issuer: IssuerContext;
  }
  interface FastifyContextConfig {
    /** Wallet-facing endpoint name; its requests are written to the session logs. */
    endpoint?: string;
    /** A protected resource (RFC 6750): token errors become 401 with WWW-Authenticate. */
    resource?: boolean;
    /** Catalogue ids for bodies Fastify could not parse or whose media type it does not know. */
    malformedBody?: import('../diagnostics.ts').DiagnosticId;
    wrongMediaType?: import('../diagnostics.ts').DiagnosticId;
  }
}

/** The random sources a production server uses. */
export function systemRandom(): Pick<AppDeps, 'secret' | 'id'> {
  const id = customAlphabet('23456789abcdefghjkmnpqrstuvwxyz', 12);
  return { secret: () => randomBytes(32).toString('base64url'), id };
}
