// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { webcrypto } from 'node:crypto';
import type { Store } from '../store/index.ts';

x509.cryptoProvider.set(webcrypto as Crypto);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface IssuerSigningKey {
  kid: string;
  alg: 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** HAIP 6.1.1: the leaf certificate only; the CA is a trust anchor and stays out of x5c. */
  x5c: string[];
  caPem: string;
}

/** Loads the issuer key, creating it with a playground CA and a CA-signed leaf on first start. */
export async function loadOrCreateIssuerKey(store: Store, now: number): Promise<IssuerSigningKey> {
  const row = store.issuerKeys.current() ?? (await createIssuerKey(store, now));
  const privateJwk = JSON.parse(row.private_jwk) as JWK;
  const privateKey = (await importJWK(privateJwk, 'ES256')) as CryptoKey;
  const { d: _d, ...publicJwk } = privateJwk;
  const leaf = new x509.X509Certificate(row.leaf_pem);
  return {
    kid: row.kid,
    alg: 'ES256',
    privateKey,
    publicJwk: { ...publicJwk, kid: row.kid, alg: 'ES256', use: 'sig' },
    x5c: [leaf.toString('base64')],
    caPem: row.ca_pem,
  };
}

async function createIssuerKey(store: Store, now: number) {
  const ca = await generateKeyPair('ES256', { extractable: true });
  const leaf = await generateKeyPair('ES256', { extractable: true });
  const notBefore = new Date(now - DAY_MS);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=OID4VCI Playground Test CA, O=OID4VCI Issuer Playground',
    notBefore,
    notAfter: new Date(now + 3650 * DAY_MS),
    keys: { privateKey: ca.privateKey, publicKey: ca.publicKey },
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(ca.publicKey),
    ],
  });
  const leafCert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=OID4VCI Playground Issuer, O=OID4VCI Issuer Playground',
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(now + 365 * DAY_MS),
    signingKey: ca.privateKey,
    publicKey: leaf.publicKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
      await x509.SubjectKeyIdentifierExtension.create(leaf.publicKey),
    ],
  });
  const leafJwk = await exportJWK(leaf.privateKey);
  const row = {
    kid: await calculateJwkThumbprint(leafJwk),
    alg: 'ES256',
    private_jwk: JSON.stringify(leafJwk),
    leaf_pem: leafCert.toString('pem'),
    ca_pem: caCert.toString('pem'),
    ca_private_jwk: JSON.stringify(await exportJWK(ca.privateKey)),
    created_at: now,
  };
  store.issuerKeys.insert(row);
  return row;
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive DER integer
  return Buffer.from(bytes).toString('hex');
}
