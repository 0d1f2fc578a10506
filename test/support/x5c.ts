// HAIP 1.0 Sections 4.1, 6.1, 6.1.1 checked independently: the x5c (or COSE x5chain) leaf is signed
// by the playground CA, is not self-signed, and the CA itself is not inside the chain.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as Crypto);

export async function leafFrom(x5c: string[] | Uint8Array, caPem: string): Promise<X509Certificate> {
  const ders = x5c instanceof Uint8Array ? [Buffer.from(x5c)] : x5c.map((c) => Buffer.from(c, 'base64'));
  assert.ok(ders.length >= 1, 'x5c holds the leaf');
  const ca = new x509.X509Certificate(caPem);
  const leaf = new x509.X509Certificate(ders[0]!);
  assert.notEqual(leaf.subject, leaf.issuer, 'the signer is not self-signed');
  assert.ok(
    ders.every((der) => !new x509.X509Certificate(der).equal(ca)),
    'no trust anchor inside x5c',
  );
  assert.ok(await leaf.verify({ publicKey: ca.publicKey, signatureOnly: true }), 'the leaf is signed by the playground CA');
  return new X509Certificate(ders[0]!);
}
