// Independent verification of issued credentials: x5c chain to the playground CA, signatures, disclosures.
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { calculateJwkThumbprint, type JWK, type JWTPayload, jwtVerify } from 'jose';

x509.cryptoProvider.set(webcrypto as Crypto);

export interface VerifiedCredential {
  header: Record<string, unknown>;
  payload: JWTPayload & Record<string, unknown>;
  /** For SD-JWT: the claims after applying every disclosure. */
  claims: Record<string, unknown>;
  disclosures: unknown[][];
  holderJkt: string;
}

/** HAIP 6.1.1: the x5c leaf is CA-signed (not self-signed) and the CA itself is not in x5c. */
async function leafKey(header: Record<string, unknown>, caPem: string): Promise<CryptoKey> {
  const chain = header.x5c as string[];
  if (!Array.isArray(chain) || chain.length === 0) throw new Error('no x5c');
  const ca = new x509.X509Certificate(caPem);
  const leaf = new x509.X509Certificate(chain[0]!);
  if (leaf.subject === leaf.issuer) throw new Error('x5c leaf is self-signed');
  if (chain.some((der) => new x509.X509Certificate(der).equal(ca))) throw new Error('trust anchor inside x5c');
  if (!(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true })))
    throw new Error('leaf not signed by the playground CA');
  return leaf.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify']);
}

export async function verifyJwtVc(credential: string, caPem: string): Promise<VerifiedCredential> {
  const [encodedHeader] = credential.split('.');
  const header = JSON.parse(Buffer.from(encodedHeader!, 'base64url').toString()) as Record<string, unknown>;
  const { payload } = await jwtVerify(credential, await leafKey(header, caPem));
  const cnf = payload.cnf as { jwk: JWK };
  return {
    header,
    payload: payload as VerifiedCredential['payload'],
    claims: (payload.vc as { credentialSubject: Record<string, unknown> }).credentialSubject,
    disclosures: [],
    holderJkt: await calculateJwkThumbprint(cnf.jwk),
  };
}

export async function verifySdJwtVc(credential: string, caPem: string): Promise<VerifiedCredential> {
  if (!credential.endsWith('~')) throw new Error('SD-JWT without key binding must end with ~');
  const [jwt, ...parts] = credential.split('~').slice(0, -1);
  const header = JSON.parse(Buffer.from(jwt!.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;
  const key = await leafKey(header, caPem);
  const { payload } = await jwtVerify(jwt!, key, { typ: 'dc+sd-jwt' });

  // Every disclosure's digest must be referenced by an _sd array (SD-JWT Section 7.1).
  const referenced = new Set<string>();
  const collect = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const sd = (node as Record<string, unknown>)._sd;
    if (Array.isArray(sd)) for (const d of sd) referenced.add(d as string);
    Object.values(node).forEach(collect);
  };
  const disclosures = parts.map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()) as unknown[]);
  // Nested digests live inside disclosed objects (recursive disclosure), so look there too.
  collect(payload);
  for (const d of disclosures) collect(d.at(-1));
  for (const part of parts) {
    if (!referenced.has(createHash('sha256').update(part).digest('base64url'))) throw new Error('unreferenced disclosure');
  }

  // Second opinion from the OpenWallet Foundation library.
  const sdjwt = new SDJwtVcInstance({
    hasher: digest,
    verifier: async (data, signature) =>
      webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, Buffer.from(signature, 'base64url'), Buffer.from(data)),
  });
  const verified = await sdjwt.verify(credential);
  const cnf = payload.cnf as { jwk: JWK };
  return {
    header,
    payload: payload as VerifiedCredential['payload'],
    claims: verified.payload as Record<string, unknown>,
    disclosures,
    holderJkt: await calculateJwkThumbprint(cnf.jwk),
  };
}

/** The playground CA as a verifier would download it: the trust anchor of every issued credential. */
export async function playgroundCa(issuer: string): Promise<string> {
  return (await fetch(`${issuer}/certificates/ca.pem`)).text();
}
