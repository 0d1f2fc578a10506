// A real playground chain (CA + CA-issued leaf) and the ES256 signer of the leaf, as
// loadOrCreateIssuerKey builds it, plus independent helpers to verify what it signed.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { importJWK } from 'jose';
import { createCertificateChain, x5cEntry } from '../../src/issuance/certificates.ts';
import type { X5cSigner } from '../../src/lifecycle/x5c-signer.ts';

export const NOW_MS = 1_750_000_000_000;
export const NOW_S = NOW_MS / 1000;

export interface TestIssuer {
  signer: X5cSigner;
  ca: X509Certificate;
}

export async function testIssuer(): Promise<TestIssuer> {
  const chain = await createCertificateChain({
    caName: 'CN=Lifecycle Test CA',
    leafName: 'CN=Lifecycle Test Issuer',
    now: NOW_MS,
    caDays: 30,
    leafDays: 10,
  });
  const privateKey = (await importJWK(chain.leafPrivateJwk, 'ES256')) as CryptoKey;
  return { signer: { privateKey, x5c: [x5cEntry(chain.leafPem)] }, ca: new X509Certificate(chain.caPem) };
}

/**
 * HAIP 1.0 Sections 4.1, 6.1.1: x5c holds the leaf only, which is not self-signed and is issued by
 * the CA (the trust anchor, which stays out). Returns the leaf.
 */
export function assertLeafOnlyX5c(x5c: unknown, ca: X509Certificate): X509Certificate {
  assert.ok(Array.isArray(x5c) && x5c.length === 1, 'x5c holds exactly one certificate');
  const leaf = new X509Certificate(Buffer.from(x5c[0] as string, 'base64'));
  assert.notEqual(leaf.fingerprint256, ca.fingerprint256, 'the CA is not in x5c');
  assert.equal(leaf.checkIssued(leaf), false, 'the leaf is not self-signed');
  assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey), 'the leaf is issued and signed by the CA');
  return leaf;
}
