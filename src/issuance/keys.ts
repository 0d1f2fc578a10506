import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import type { IssuerKeyRow } from '../domain/keys.ts';
import type { Store } from '../store/index.ts';
import { createCertificateChain, x5cEntry } from './certificates.ts';

export interface IssuerSigningKey {
  kid: string;
  alg: 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** HAIP 6.1.1: the leaf certificate only; the CA is a trust anchor and stays out of x5c. */
  x5c: string[];
  caPem: string;
}

/**
 * Loads the issuer key, creating it with a playground CA and a CA-signed leaf on first start. Nodes
 * that start together on an empty database each insert one; all of them then use the oldest.
 */
export async function loadOrCreateIssuerKey(store: Store, now: number): Promise<IssuerSigningKey> {
  let row = await store.keys.currentIssuerKey();
  if (!row) {
    await store.keys.insertIssuerKey(await createIssuerKey(now));
    row = (await store.keys.currentIssuerKey())!;
  }
  const privateJwk = JSON.parse(row.private_jwk) as JWK;
  const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
  const { d: _d, ...publicJwk } = privateJwk;
  return {
    kid: row.kid,
    alg: 'ES256',
    privateKey,
    publicJwk: { ...publicJwk, kid: row.kid, alg: 'ES256', use: 'sig' },
    x5c: [x5cEntry(row.leaf_pem)],
    caPem: row.ca_pem,
  };
}

async function createIssuerKey(now: number): Promise<IssuerKeyRow> {
  const chain = await createCertificateChain({
    caName: 'CN=OID4VCI Playground Test CA, O=OID4VCI Issuer Playground',
    leafName: 'CN=OID4VCI Playground Issuer, O=OID4VCI Issuer Playground',
    now,
    caDays: 3650,
    leafDays: 365,
  });
  return {
    kid: await calculateJwkThumbprint(chain.leafPrivateJwk),
    alg: 'ES256',
    private_jwk: JSON.stringify(chain.leafPrivateJwk),
    leaf_pem: chain.leafPem,
    ca_pem: chain.caPem,
    ca_private_jwk: JSON.stringify(chain.caPrivateJwk),
    created_at: now,
  };
}
