import { importJWK, type JWK, SignJWT } from 'jose';
import { z } from 'zod';
import { privateMembers } from '../checks/jose-helpers.ts';
import type { TestAttesterKeyRow } from '../domain/keys.ts';
import { createCertificateChain, x5cEntry } from '../issuance/certificates.ts';
import type { Store } from '../store/index.ts';
import type { TrustAnchor } from './trust.ts';

/**
 * The built-in test attester, for wallet developers without an attestation provider: a persisted,
 * self-signed test CA (a builtin anchor of both kinds, labelled TEST TRUST) and a CA-issued signing
 * certificate. x5c carries only that signing certificate, so it is never self-signed and never
 * contains the anchor (HAIP 1.0 Sections 4.4.1, 4.5.1).
 */

export const TEST_ATTESTER_LABEL = 'Playground test attester CA';
const DAY_S = 24 * 60 * 60;

const publicJwk = z
  .object({ kty: z.string().min(1) })
  .passthrough()
  .refine((jwk) => privateMembers(jwk as JWK).length === 0, 'must be a public key (no d, p, q, dp, dq, qi, k)');
const levels = z.array(z.string().min(1).max(200)).nonempty().max(20);
const expiresIn = z
  .number()
  .int()
  .min(1)
  .max(30 * DAY_S)
  .optional();

export interface KeyAttestationInput {
  attested_keys: JWK[];
  key_storage?: string[];
  user_authentication?: string[];
  nonce?: string;
  /** Default one day; exp is always set. */
  expiresInSeconds?: number;
  certification?: string;
  status?: Record<string, unknown>;
}

export interface WalletAttestationInput {
  client_id: string;
  wallet_instance_jwk: JWK;
  wallet_name?: string;
  wallet_link?: string;
  /** Default one day. */
  expiresInSeconds?: number;
}

/** POST /test-attester/key-attestation body (wire names), parsed into issueKeyAttestation input. */
export const keyAttestationRequestSchema = z
  .object({
    attested_keys: z.array(publicJwk).nonempty().max(20),
    key_storage: levels.optional(),
    user_authentication: levels.optional(),
    nonce: z.string().min(1).max(512).optional(),
    expires_in: expiresIn,
    certification: z.string().url().optional(),
    status: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .transform(
    ({ expires_in, ...rest }): KeyAttestationInput => ({
      ...rest,
      attested_keys: rest.attested_keys as JWK[],
      expiresInSeconds: expires_in,
    }),
  );

/** POST /test-attester/wallet-attestation body, parsed into issueWalletAttestation input. */
export const walletAttestationRequestSchema = z
  .object({
    client_id: z.string().min(1).max(200),
    wallet_instance_jwk: publicJwk,
    wallet_name: z.string().min(1).max(200).optional(),
    wallet_link: z.string().url().optional(),
    expires_in: expiresIn,
  })
  .strict()
  .transform(
    ({ expires_in, ...rest }): WalletAttestationInput => ({
      ...rest,
      wallet_instance_jwk: rest.wallet_instance_jwk as JWK,
      expiresInSeconds: expires_in,
    }),
  );

export interface TestAttester {
  /** iss of wallet attestations (and of key attestations, as in OID4VCI Appendix D.1's example). */
  issuer: string;
  caPem: string;
  x5c: string[];
  /** The CA as builtin anchor, once per kind. */
  anchors: TrustAnchor[];
  issueKeyAttestation(input: KeyAttestationInput): Promise<string>;
  issueWalletAttestation(input: WalletAttestationInput): Promise<string>;
}

/** Loads the test attester, creating and persisting its CA and signing certificate on first start. */
export async function loadOrCreateTestAttester(
  keys: Store['keys'],
  options: { now: () => number; issuer?: string },
): Promise<TestAttester> {
  let row = await keys.currentTestAttester();
  if (!row) {
    // Another node may insert at the same time; everyone then uses the oldest.
    await keys.insertTestAttester(await createKeys(options.now()));
    row = (await keys.currentTestAttester())!;
  }
  const signingKey = await importJWK(JSON.parse(row.leaf_private_jwk) as JWK, 'ES256');
  const x5c = [x5cEntry(row.leaf_pem)];
  const issuer = options.issuer ?? 'urn:oid4vci-playground:test-attester';
  const anchor = (kind: TrustAnchor['kind']): TrustAnchor => ({
    id: `builtin:test-attester:${kind}`,
    kind,
    label: TEST_ATTESTER_LABEL,
    source: 'builtin',
    certificate: row.ca_pem,
    session_id: null,
    test: true,
  });
  const times = (expiresInSeconds: number | undefined) => {
    const iat = Math.floor(options.now() / 1000);
    return { iat, exp: iat + (expiresInSeconds ?? DAY_S) };
  };
  const sign = (typ: string, payload: Record<string, unknown>) =>
    new SignJWT(payload).setProtectedHeader({ typ, alg: 'ES256', x5c }).sign(signingKey);

  return {
    issuer,
    caPem: row.ca_pem,
    x5c,
    anchors: [anchor('key_attestation'), anchor('wallet_attestation')],
    // OID4VCI 1.0 Appendix D.1; exp is always set, so the result also works in a jwt proof header.
    issueKeyAttestation: ({ expiresInSeconds, ...claims }) =>
      sign('key-attestation+jwt', { iss: issuer, ...times(expiresInSeconds), ...claims }),
    // ABCA -07 Section 5.1 with the OID4VCI Appendix E claims.
    issueWalletAttestation: ({ client_id, wallet_instance_jwk, expiresInSeconds, ...claims }) =>
      sign('oauth-client-attestation+jwt', {
        iss: issuer,
        sub: client_id,
        ...times(expiresInSeconds),
        cnf: { jwk: wallet_instance_jwk },
        ...claims,
      }),
  };
}

async function createKeys(now: number): Promise<TestAttesterKeyRow> {
  const o = 'O=OID4VCI Issuer Playground TEST TRUST ONLY';
  const chain = await createCertificateChain({
    caName: `CN=${TEST_ATTESTER_LABEL}, ${o}`,
    leafName: `CN=Playground test attester, ${o}`,
    now,
    caDays: 3650,
    leafDays: 1825,
  });
  return {
    id: 'default',
    ca_pem: chain.caPem,
    ca_private_jwk: JSON.stringify(chain.caPrivateJwk),
    leaf_pem: chain.leafPem,
    leaf_private_jwk: JSON.stringify(chain.leafPrivateJwk),
    created_at: now,
  };
}
