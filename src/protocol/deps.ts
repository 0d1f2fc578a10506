import { customRandom } from 'nanoid';
import type { AccessSettings } from '../access/viewer.ts';
import { loadAnchorsFromDirectory } from '../attestation/anchor-files.ts';
import { loadOrCreateTestAttester, type TestAttester } from '../attestation/test-attester.ts';
import type { TrustAnchor } from '../attestation/trust.ts';
import type { Config } from '../config.ts';
import { loadOrCreateRequestEncryptionKey } from '../issuance/encryption-key.ts';
import { type IssuerContext, issuerContextFor } from '../issuance/issuer-context.ts';
import { type IssuerSigningKey, loadOrCreateIssuerKey } from '../issuance/keys.ts';
import type { RequestEncryptionKey } from '../lifecycle/encryption-keys.ts';
import { randomFromPool, randomToken } from '../random.ts';
import type { Store } from '../store/index.ts';
import type { Trail } from './trail.ts';

/** Everything a route needs, injected so tests can replace the clock and the random values. */
export interface AppDeps {
  config: Config;
  store: Store;
  issuerKey: IssuerSigningKey;
  /** credential_request_encryption.jwks (OID4VCI 1.0 Section 12.2.4), private parts included. */
  requestEncryptionKeys: RequestEncryptionKey[];
  /** The built-in test attester (its CA is trusted unless TEST_ATTESTER_TRUSTED=false). */
  attester: TestAttester;
  /** Anchors read from TRUST_ANCHORS_DIR at start. */
  fileAnchors: TrustAnchor[];
  now: () => number;
  /** Unguessable values: codes, tokens, nonces (base64url, 256 bits unless noted). */
  secret: () => string;
  /** Short public ids: sessions, offers. */
  id: () => string;
  /** The operator's token and how the console's cookies are set. */
  access: AccessSettings;
}

declare module 'fastify' {
  interface FastifyRequest {
    trail: Trail;
    issuer: IssuerContext;
  }
  interface FastifyReply {
    /** @fastify/view merges these into every template's data (its types do not declare them). */
    locals: Record<string, unknown> | null;
  }
  interface FastifyContextConfig {
    /** Endpoint name; its requests are written to the session logs. */
    endpoint?: string;
    /** Set on every route of the wallet scope: CORS for browser wallets and the wallet rate limit. */
    wallet?: boolean;
    /** Creates offers (API or form): the offer rate limit, and OFFER_CREATION=admin. */
    offerCreation?: boolean;
    /** A global change or the unattributed log: the operator's alone when ADMIN_TOKEN is set. */
    operator?: boolean;
    /** A protected resource (RFC 6750): token errors become 401 with WWW-Authenticate. */
    resource?: boolean;
    /** Catalogue ids for bodies Fastify could not parse or whose media type it does not know. */
    malformedBody?: import('../diagnostics/index.ts').DiagnosticId;
    wrongMediaType?: import('../diagnostics/index.ts').DiagnosticId;
  }
}

/**
 * Builds the dependencies from configuration: issuer key and test attester
 * (created and persisted on first start), file trust anchors, real randomness.
 * Problems in TRUST_ANCHORS_DIR are reported, never trusted.
 */
export async function createDeps(
  config: Config,
  store: Store,
  now: () => number,
  warn: (message: string) => void,
): Promise<AppDeps> {
  const files = config.trustAnchorsDir ? loadAnchorsFromDirectory(config.trustAnchorsDir) : { anchors: [], problems: [] };
  for (const problem of files.problems) warn(`TRUST_ANCHORS_DIR: ${problem}`);
  return {
    config,
    store,
    issuerKey: await loadOrCreateIssuerKey(store, { now: now(), publicUrl: config.publicUrl }),
    requestEncryptionKeys: [await loadOrCreateRequestEncryptionKey(store, now())],
    attester: await loadOrCreateTestAttester(store.keys, { now, issuer: `${config.publicUrl}/test-attester` }),
    fileAnchors: files.anchors,
    now,
    secret: () => randomToken(),
    id: customRandom('23456789abcdefghjkmnpqrstuvwxyz', 12, randomFromPool),
    access: accessSettings(config),
  };
}

export function accessSettings(config: Config): AccessSettings {
  return {
    adminToken: config.adminToken,
    secureCookies: config.publicUrl.startsWith('https:'),
    cookiePath: issuerContextFor(config.publicUrl).basePath || '/',
  };
}
