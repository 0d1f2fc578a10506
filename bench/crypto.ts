// CPU time of the server's cryptography for one flow, with the primitives the server uses,
// to tell how far the measured server CPU per flow is from being crypto-bound.
import { createHash, randomUUID } from 'node:crypto';
import { CompactSign, calculateJwkThumbprint, compactVerify, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export interface CryptoCost {
  cpuMsPerFlow: number;
  iterations: number;
  disclosures: number;
}

interface FlowProofs {
  dpopToken: string;
  dpopCredential: string;
  keyProof: string;
}

async function signed(typ: string, jwk: JWK, key: CryptoKey, payload: object): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload))).setProtectedHeader({ typ, alg: 'ES256', jwk }).sign(key);
}

// Fresh wallet keys per flow, as in the load run, so importJWK sees a new key each time as the server does.
async function walletProofs(): Promise<FlowProofs> {
  const dpop = await generateKeyPair('ES256');
  const holder = await generateKeyPair('ES256');
  const dpopJwk = await exportJWK(dpop.publicKey);
  const iat = Math.floor(Date.now() / 1000);
  const htu = 'http://127.0.0.1/token';
  return {
    dpopToken: await signed('dpop+jwt', dpopJwk, dpop.privateKey, { jti: randomUUID(), htm: 'POST', htu, iat }),
    dpopCredential: await signed('dpop+jwt', dpopJwk, dpop.privateKey, { jti: randomUUID(), htm: 'POST', htu, iat, ath: 'x'.repeat(43) }),
    keyProof: await signed('openid4vci-proof+jwt', await exportJWK(holder.publicKey), holder.privateKey, { aud: 'http://127.0.0.1', iat, nonce: randomUUID() }),
  };
}

async function verify(jwt: string): Promise<string> {
  const { jwk, alg } = decodeProtectedHeader(jwt);
  await compactVerify(jwt, await importJWK(jwk!, alg));
  return calculateJwkThumbprint(jwk!);
}

/**
 * Times, sequentially in this process, what the server computes per flow:
 * verify two DPoP proofs and one key proof (importJWK + compactVerify, and a
 * JWK thumbprint of each: checks/dpop.ts and checks/proof-jwt.ts compute one
 * per proof), sign one ES256 credential JWT and hash every disclosure.
 * The credential's header, payload and disclosures are those of a credential
 * the server issued in the load run, so the sizes are real.
 */
export async function measureCryptoPerFlow(sampleCredential: string, iterations: number): Promise<CryptoCost> {
  const [issuerJwt, ...rest] = sampleCredential.split('~');
  const disclosures = rest.filter((d) => d.length > 0);
  const header = decodeProtectedHeader(issuerJwt!);
  const payload = new TextEncoder().encode(JSON.stringify(decodeJwt(issuerJwt!)));
  const issuerKey = (await generateKeyPair('ES256')).privateKey;

  const warmup = 20;
  const fixtures = await Promise.all(Array.from({ length: iterations + warmup }, walletProofs));
  const oneFlow = async (proofs: FlowProofs) => {
    await verify(proofs.dpopToken);
    await verify(proofs.dpopCredential);
    await verify(proofs.keyProof);
    for (const d of disclosures) createHash('sha256').update(d).digest('base64url');
    await new CompactSign(payload).setProtectedHeader({ ...header, alg: 'ES256' }).sign(issuerKey);
  };

  for (const proofs of fixtures.slice(0, warmup)) await oneFlow(proofs);
  const before = process.cpuUsage();
  for (const proofs of fixtures.slice(warmup)) await oneFlow(proofs);
  const used = process.cpuUsage(before);
  return { cpuMsPerFlow: (used.user + used.system) / 1000 / iterations, iterations, disclosures: disclosures.length };
}
