// CPU time of the server's cryptography for one flow, with the very functions the server calls,
// to tell how far the measured server CPU per flow is from being crypto-bound.
import { createHash, generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { JWK } from 'jose';
import { decodeCompactJwt, jwkThumbprint, publicKeyFor, verifyCompactJws } from '../src/checks/jose-helpers.ts';

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

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function signed(header: object, payload: object, key: KeyObject): string {
  const input = `${segment(header)}.${segment(payload)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

// Fresh wallet keys per flow, as in the load run: the server's key cache sees the DPoP key twice and the holder key once.
function walletProofs(): FlowProofs {
  const dpop = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const holder = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dpopJwk = dpop.publicKey.export({ format: 'jwk' });
  const iat = Math.floor(Date.now() / 1000);
  const htu = 'http://127.0.0.1/token';
  const dpopHeader = { typ: 'dpop+jwt', alg: 'ES256', jwk: dpopJwk };
  return {
    dpopToken: signed(dpopHeader, { jti: randomUUID(), htm: 'POST', htu, iat }, dpop.privateKey),
    dpopCredential: signed(dpopHeader, { jti: randomUUID(), htm: 'POST', htu, iat, ath: 'x'.repeat(43) }, dpop.privateKey),
    keyProof: signed(
      { typ: 'openid4vci-proof+jwt', alg: 'ES256', jwk: holder.publicKey.export({ format: 'jwk' }) },
      { aud: 'http://127.0.0.1', iat, nonce: randomUUID() },
      holder.privateKey,
    ),
  };
}

/** What checks/dpop.ts and checks/proof-jwt.ts do with a proof's key: decode, import (cached), verify, thumbprint. */
function verifyProof(jwt: string): string {
  const decoded = decodeCompactJwt(jwt)!;
  const jwk = decoded.header.jwk as JWK;
  const key = publicKeyFor(jwk, 'ES256');
  if (typeof key === 'string' || verifyCompactJws(jwt, key, 'ES256') !== null) throw new Error('bench proof does not verify');
  return jwkThumbprint(jwk);
}

/**
 * Times, sequentially in this process, what the server computes per flow with its own functions:
 * three proofs (two DPoP, one key proof) decoded, imported, verified and thumbprinted; one ES256
 * signature over a credential of the size the server issued in the load run (node:crypto, as the
 * SD-JWT signer does); a SHA-256 of each of its disclosures.
 */
export function measureCryptoPerFlow(sampleCredential: string, iterations: number): CryptoCost {
  const [issuerJwt, ...rest] = sampleCredential.split('~');
  const disclosures = rest.filter((d) => d.length > 0);
  const signingInput = Buffer.from(issuerJwt!.slice(0, issuerJwt!.lastIndexOf('.')));
  const issuerKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

  const warmup = 20;
  const fixtures = Array.from({ length: iterations + warmup }, walletProofs);
  const oneFlow = (proofs: FlowProofs) => {
    verifyProof(proofs.dpopToken);
    verifyProof(proofs.dpopCredential);
    verifyProof(proofs.keyProof);
    for (const d of disclosures) createHash('sha256').update(d).digest('base64url');
    sign('sha256', signingInput, { key: issuerKey, dsaEncoding: 'ieee-p1363' });
  };

  for (const proofs of fixtures.slice(0, warmup)) oneFlow(proofs);
  const before = process.cpuUsage();
  for (const proofs of fixtures.slice(warmup)) oneFlow(proofs);
  const used = process.cpuUsage(before);
  return { cpuMsPerFlow: (used.user + used.system) / 1000 / iterations, iterations, disclosures: disclosures.length };
}
