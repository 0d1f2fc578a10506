// The issuer leaf's subjectAltName (FMT-SD-11): URI = PUBLIC_URL, and its host as DNS name or IP
// address, parsed back with @peculiar/x509.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { createCertificateChain, type SubjectAltName, sanFor } from '../../src/issuance/certificates.ts';

const NOW_MS = 1_750_000_000_000;

async function leafNames(subjectAltName?: SubjectAltName) {
  const chain = await createCertificateChain({
    caName: 'CN=SAN CA',
    leafName: 'CN=SAN leaf',
    now: NOW_MS,
    caDays: 30,
    leafDays: 10,
    ...(subjectAltName ? { subjectAltName } : {}),
  });
  const leaf = new x509.X509Certificate(chain.leafPem);
  const ca = new x509.X509Certificate(chain.caPem);
  return {
    leaf: leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.toJSON(),
    ca: ca.getExtension(x509.SubjectAlternativeNameExtension),
  };
}

describe('sanFor', () => {
  const cases: { url: string; san: SubjectAltName }[] = [
    { url: 'https://issuer.example.com', san: { uri: 'https://issuer.example.com', dns: 'issuer.example.com' } },
    {
      url: 'https://issuer.example.com:8443/tenant',
      san: { uri: 'https://issuer.example.com:8443/tenant', dns: 'issuer.example.com' },
    },
    { url: 'http://localhost:3000', san: { uri: 'http://localhost:3000', dns: 'localhost' } },
    { url: 'http://127.0.0.1:3000', san: { uri: 'http://127.0.0.1:3000', ip: '127.0.0.1' } },
    { url: 'http://[::1]:3000', san: { uri: 'http://[::1]:3000', ip: '::1' } },
  ];
  for (const { url, san } of cases) it(`FMT-SD-11: ${url}`, () => assert.deepEqual(sanFor(url), san));
});

describe('createCertificateChain subjectAltName (FMT-SD-11)', () => {
  it('FMT-SD-11: an https PUBLIC_URL gives the leaf a URI and a DNS name', async () => {
    const { leaf, ca } = await leafNames(sanFor('https://issuer.example.com'));
    assert.deepEqual(leaf, [
      { type: 'url', value: 'https://issuer.example.com' },
      { type: 'dns', value: 'issuer.example.com' },
    ]);
    assert.equal(ca, null, 'the CA carries no SAN');
  });

  it('FMT-SD-11: an IP literal host gives an IP address entry', async () => {
    const { leaf } = await leafNames(sanFor('http://127.0.0.1:3000'));
    assert.deepEqual(leaf, [
      { type: 'url', value: 'http://127.0.0.1:3000' },
      { type: 'ip', value: '127.0.0.1' },
    ]);
  });

  it('FMT-SD-11: node:crypto reads the same names', async () => {
    const chain = await createCertificateChain({
      caName: 'CN=SAN CA',
      leafName: 'CN=SAN leaf',
      now: NOW_MS,
      caDays: 30,
      leafDays: 10,
      subjectAltName: sanFor('https://issuer.example.com'),
    });
    assert.equal(new X509Certificate(chain.leafPem).subjectAltName, 'URI:https://issuer.example.com, DNS:issuer.example.com');
  });

  it('FMT-SD-11: without the option the leaf has no SAN, as before', async () => {
    const { leaf } = await leafNames();
    assert.equal(leaf, undefined);
  });
});
