// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { webcrypto } from 'node:crypto';

x509.cryptoProvider.set(webcrypto as Crypto);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateChain {
  caPem: string;
  caPrivateJwk: JWK;
  leafPem: string;
  leafPrivateJwk: JWK;
}

/**
 * A self-signed ES256 CA and a leaf signed by it (HAIP 6.1.1 / 4.5.1: what goes in x5c is the
 * leaf, never a self-signed certificate and never the trust anchor). Valid from a day ago, to
 * tolerate clock skew of verifiers.
 */
export async function createCertificateChain(options: { caName: string; leafName: string; now: number; caDays: number; leafDays: number }): Promise<CertificateChain> {
  const { now } = options;
  const ca = await generateKeyPair('ES256', { extractable: true });
  const leaf = await generateKeyPair('ES256', { extractable: true });
  const notBefore = new Date(now - DAY_MS);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: options.caName,
    notBefore,
    notAfter: new Date(now + options.caDays * DAY_MS),
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
    subject: options.leafName,
    issuer: caCert.subject,
    notBefore,
    notAfter: new Date(now + options.leafDays * DAY_MS),
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
  return {
    caPem: caCert.toString('pem'),
    caPrivateJwk: await exportJWK(ca.privateKey),
    leafPem: leafCert.toString('pem'),
    leafPrivateJwk: await exportJWK(leaf.privateKey),
  };
}

/** The leaf as one standard-base64 DER x5c entry. */
export function x5cEntry(pem: string): string {
  return new x509.X509Certificate(pem).toString('base64');
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = bytes[0]! & 0x7f; // positive DER integer
  return Buffer.from(bytes).toString('hex');
}
