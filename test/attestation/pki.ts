// Real certificates for the attestation tests: CAs, intermediates and signing certificates made with
// @peculiar/x509, plus JWS signing with jose. Not a test file itself (no .test.ts).
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { type CompactJWSHeaderParameters, CompactSign, type CryptoKey, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { TrustAnchor } from '../../src/attestation/trust.ts';

x509.cryptoProvider.set(webcrypto as Crypto);

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyPair {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  privateJwk: JWK;
}

export interface Cert extends KeyPair {
  cert: x509.X509Certificate;
  /** Standard base64 DER, as in x5c. */
  b64: string;
  pem: string;
}

export async function keyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  return { privateKey, publicKey, publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

let serial = 1;
const nextSerial = () => (serial++).toString(16).padStart(4, '0');

export interface CertOptions {
  nowMs: number;
  /** Defaults to one day before nowMs. */
  notBefore?: number;
  /** Defaults to one year after nowMs. */
  notAfter?: number;
}

const validity = (o: CertOptions) => ({
  notBefore: new Date(o.notBefore ?? o.nowMs - DAY_MS),
  notAfter: new Date(o.notAfter ?? o.nowMs + 365 * DAY_MS),
});

/** A self-signed root CA. */
export async function rootCa(cn: string, options: CertOptions): Promise<Cert> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${cn}`,
    ...validity(options),
    keys: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  return { ...keys, cert, b64: cert.toString('base64'), pem: cert.toString('pem') };
}

/** A certificate for `cn` issued by `issuer`; `ca: true` makes an intermediate. */
export async function issue(cn: string, issuer: Cert, options: CertOptions & { ca?: boolean; keys?: KeyPair }): Promise<Cert> {
  const keys = options.keys ?? (await keyPair());
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: nextSerial(),
    subject: `CN=${cn}`,
    issuer: issuer.cert.subject,
    ...validity(options),
    signingKey: issuer.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: ecdsa,
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true),
      new x509.KeyUsagesExtension(options.ca ? x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature, true),
    ],
  });
  return { ...keys, cert, b64: cert.toString('base64'), pem: cert.toString('pem') };
}

/** A certificate for `cn` signed by its own key (HAIP forbids these as signers). */
export async function selfSignedLeaf(cn: string, options: CertOptions): Promise<Cert> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: nextSerial(),
    name: `CN=${cn}`,
    ...validity(options),
    keys: { privateKey: keys.privateKey, publicKey: keys.publicKey },
    signingAlgorithm: ecdsa,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  return { ...keys, cert, b64: cert.toString('base64'), pem: cert.toString('pem') };
}

export function anchorOf(ca: Cert, kind: TrustAnchor['kind'], label: string, extra: Partial<TrustAnchor> = {}): TrustAnchor {
  return {
    id: `test:${label}:${kind}`,
    kind,
    label,
    source: 'api',
    certificate: ca.pem,
    session_id: null,
    test: false,
    ...extra,
  };
}

export function jwkAnchor(jwk: JWK, kind: TrustAnchor['kind'], label: string): TrustAnchor {
  return { id: `test:${label}:${kind}`, kind, label, source: 'api', jwk, session_id: null, test: false };
}

export type Json = Record<string, unknown>;

/** Signs header.payload; `alg: 'none'` gives an unsigned JWS. */
export async function sign(header: Json, payload: Json, key: CryptoKey): Promise<string> {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  if (header.alg === 'none') return `${b64(header)}.${b64(payload)}.`;
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader(header as CompactJWSHeaderParameters)
    .sign(key);
}
