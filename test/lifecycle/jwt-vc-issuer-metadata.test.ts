// JWT VC Issuer Metadata (SD-JWT VC -13 Section 5, FMT-SD-11).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jwtVcIssuerMetadata, jwtVcIssuerMetadataUrl } from '../../src/lifecycle/jwt-vc-issuer-metadata.ts';

const KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'b28d4MwZMjw8-00CG4xfnn9SLMVMM19SlqZpVb_uNtQ',
  y: 'Xv5zWwuoaTgdS6hV43yI6gBwTnjukmFQQnJ_kCxzqk8',
  kid: 'doc-signer-05-25-2022',
};

describe('JWT VC Issuer Metadata (FMT-SD-11)', () => {
  const urls: [string, string][] = [
    ['https://example.com', 'https://example.com/.well-known/jwt-vc-issuer'],
    ['https://example.com/', 'https://example.com/.well-known/jwt-vc-issuer'],
    ['https://example.com/tenant/1234', 'https://example.com/.well-known/jwt-vc-issuer/tenant/1234'],
    ['https://example.com/tenant/1234/', 'https://example.com/.well-known/jwt-vc-issuer/tenant/1234'],
    ['http://localhost:3000', 'http://localhost:3000/.well-known/jwt-vc-issuer'],
  ];
  for (const [issuer, url] of urls) it(`FMT-SD-11: ${issuer} → ${url}`, () => assert.equal(jwtVcIssuerMetadataUrl(issuer), url));

  it('FMT-SD-11: {issuer, jwks} with the public keys inline, no jwks_uri', () => {
    assert.deepEqual(jwtVcIssuerMetadata('https://example.com', [KEY]), { issuer: 'https://example.com', jwks: { keys: [KEY] } });
  });

  it('FMT-SD-11: a private key is never published', () => {
    assert.throws(() => jwtVcIssuerMetadata('https://example.com', [{ ...KEY, d: 'secret' }]), /private/);
  });
});
