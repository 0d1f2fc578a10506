import { calculateJwkThumbprint, importJWK, type JWK } from 'jose';
import type { IssuerKeyRow } from '../domain/keys.ts';
import type { IssuerKey } from '../formats/format.ts';
import type { Store } from '../store/index.ts';
import { type ChainRequirements, chainShortcomings, recertifyChain } from './certificate-renewal.ts';
import { createCertificateChain, sanFor, x5cEntry } from './certificates.ts';

export interface IssuerSigningKey extends IssuerKey {
  publicJwk: JWK;
  caPem: string;
}

// ISO 18013-5 Annex B: the IACA and the document signer name the issuing country, which mDL
// verifiers compare with issuing_country (ISO 18013-5 Table 5); the samples say DE.
const ISSUER_COUNTRY = 'DE';
const CA_NAME = `C=${ISSUER_COUNTRY}, CN=OID4VCI Playground Test CA, O=OID4VCI Issuer Playground`;
const LEAF_NAME = `C=${ISSUER_COUNTRY}, CN=OID4VCI Playground Issuer, O=OID4VCI Issuer Playground`;

/**
 * Loads the issuer key, creating it with a playground CA and a CA-signed leaf on first start. Nodes
 * that start together on an empty database each insert one; all of them then use the oldest. A
 * stored chain that lacks what is required now is certified again (see certifiedForNow).
 */
export async function loadOrCreateIssuerKey(
  store: Store,
  options: { now: number; publicUrl: string },
): Promise<IssuerSigningKey> {
  const required: ChainRequirements = { country: ISSUER_COUNTRY, subjectAltName: sanFor(options.publicUrl) };
  let row = await store.keys.currentIssuerKey();
  if (!row) {
    await store.keys.insertIssuerKey(await createIssuerKey(required, options.now));
    row = (await store.keys.currentIssuerKey())!;
  }
  row = await certifiedForNow(store, row, required, options.now);
  const privateJwk = JSON.parse(row.private_jwk) as JWK;
  const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
  const { d: _d, ...publicJwk } = privateJwk;
  return {
    kid: row.kid,
    alg: 'ES256',
    privateKey,
    publicJwk: { ...publicJwk, kid: row.kid, alg: 'ES256', use: 'sig' },
    x5c: [x5cEntry(row.leaf_pem)],
    leafPem: row.leaf_pem,
    caPem: row.ca_pem,
  };
}

/**
 * The same key pairs, certified again when the stored chain predates a requirement. Nodes starting
 * together each try; the update only lands on the leaf they read, so exactly one wins and every
 * node ends on the stored result.
 */
async function certifiedForNow(store: Store, row: IssuerKeyRow, required: ChainRequirements, now: number): Promise<IssuerKeyRow> {
  if (chainShortcomings({ caPem: row.ca_pem, leafPem: row.leaf_pem }, required).length === 0) return row;
  const renewed = await recertifyChain(
    {
      caPem: row.ca_pem,
      caPrivateJwk: JSON.parse(row.ca_private_jwk) as JWK,
      leafPem: row.leaf_pem,
      leafPrivateJwk: JSON.parse(row.private_jwk) as JWK,
    },
    required,
    now,
  );
  const renewedRow = { leaf_pem: renewed.leafPem, ca_pem: renewed.caPem };
  await store.keys.replaceIssuerCertificates(row.kid, row.leaf_pem, renewedRow);
  return (await store.keys.currentIssuerKey())!;
}

async function createIssuerKey(required: ChainRequirements, now: number): Promise<IssuerKeyRow> {
  const chain = await createCertificateChain({
    caName: CA_NAME,
    leafName: LEAF_NAME,
    now,
    caDays: 3650,
    leafDays: 365,
    // FMT-SD-11: the leaf names PUBLIC_URL, so an https iss matches it.
    subjectAltName: required.subjectAltName,
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
