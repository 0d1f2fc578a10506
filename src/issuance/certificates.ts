// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

x509.cryptoProvider.set(webcrypto as Crypto);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface CertificateChain {
  caPem: string;
  caPrivateJwk: JWK;
  leafPem: string;
  leafPrivateJwk: JWK;
}

/** subjectAltName entries of the leaf (RFC 5280 Section 4.2.1.6). */
export interface SubjectAltName {
  uri?: string;
  dns?: string;
  ip?: string;
}

/**
 * The SAN that lets a verifier match an https iss to the x5c leaf (SD-JWT VC -08 Section 3.5, which
 * many verifiers still apply; FMT-SD-11): the URI itself, and its host as a DNS name, or as an IP
 * address when the host is an IP literal.
 */
export function sanFor(publicUrl: string): SubjectAltName {
  const host = new URL(publicUrl).hostname.replace(/^\[(.*)\]$/, '$1');
  return isIP(host) === 0 ? { uri: publicUrl, dns: host } : { uri: publicUrl, ip: host };
}

export function sanNames(san: SubjectAltName): x509.JsonGeneralName[] {
  const names: x509.JsonGeneralName[] = [];
  if (san.uri !== undefined) names.push({ type: 'url', value: san.uri });
  if (san.dns !== undefined) names.push({ type: 'dns', value: san.dns });
  if (san.ip !== undefined) names.push({ type: 'ip', value: san.ip });
  return names;
}

export interface Validity {
  notBefore: Date;
  notAfter: Date;
}

/** Valid from a day ago, to tolerate clock skew of verifiers. */
const validityFrom = (now: number, days: number): Validity => ({
  notBefore: new Date(now - DAY_MS),
  notAfter: new Date(now + days * DAY_MS),
});

export async function caCertificate(name: string, keys: CryptoKeyPair, validity: Validity): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name,
    ...validity,
    keys,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
}

export async function leafCertificate(options: {
  subject: string;
  ca: x509.X509Certificate;
  caPrivateKey: CryptoKey;
  publicKey: CryptoKey;
  validity: Validity;
  subjectAltName?: SubjectAltName;
}): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: options.subject,
    issuer: options.ca.subject,
    ...options.validity,
    signingKey: options.caPrivateKey,
    publicKey: options.publicKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(options.ca),
      await x509.SubjectKeyIdentifierExtension.create(options.publicKey),
      ...(options.subjectAltName ? [new x509.SubjectAlternativeNameExtension(sanNames(options.subjectAltName))] : []),
    ],
  });
}

/**
 * A self-signed ES256 CA and a leaf signed by it (HAIP 6.1.1 / 4.5.1: what goes in x5c is the
 * leaf, never a self-signed certificate and never the trust anchor). The leaf carries
 * subjectAltName only when one is given.
 */
export async function createCertificateChain(options: {
  caName: string;
  leafName: string;
  now: number;
  caDays: number;
  leafDays: number;
  subjectAltName?: SubjectAltName;
}): Promise<CertificateChain> {
  const ca = await generateKeyPair('ES256', { extractable: true });
  const leaf = await generateKeyPair('ES256', { extractable: true });
  const caCert = await caCertificate(options.caName, ca, validityFrom(options.now, options.caDays));
  const leafCert = await leafCertificate({
    subject: options.leafName,
    ca: caCert,
    caPrivateKey: ca.privateKey,
    publicKey: leaf.publicKey,
    validity: validityFrom(options.now, options.leafDays),
    ...(options.subjectAltName ? { subjectAltName: options.subjectAltName } : {}),
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
