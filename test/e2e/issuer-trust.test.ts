// What a verifier or wallet uses to trust this issuer: signed metadata (MD-11, H-08) verified
// through its x5c chain, SD-JWT VCs verified with the keys of /.well-known/jwt-vc-issuer (FMT-SD-11),
// the leaf's subjectAltName naming PUBLIC_URL, and time claims rounded (OID4VCI 1.0 Section 15.4.1).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';
import { authorizedWallet, credentialRequest, PID_SD_JWT, validCredentialBody } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifySdJwtVc } from '../support/verify-credential.ts';
import { leafFrom } from '../support/x5c.ts';

/** SD-JWT VC -13 Section 5.1, written out here: /.well-known/jwt-vc-issuer between host and path. */
function wellKnownOf(iss: string): string {
  const url = new URL(iss);
  return `${url.origin}/.well-known/jwt-vc-issuer${url.pathname === '/' ? '' : url.pathname}`;
}

for (const basePath of ['', '/tenant']) {
  describe(`issuer trust for verifiers (PUBLIC_URL path "${basePath}")`, () => {
    let server: TestServer;
    let caPem: string;
    before(async () => {
      server = await startServer({ basePath });
      caPem = await playgroundCa(server.issuer);
    });
    after(() => server.close());

    const metadataUrl = () => `${server.origin}/.well-known/openid-credential-issuer${basePath}`;

    it('MD-11, H-08: Accept: application/jwt returns the metadata as a JWT verified through its x5c chain', async () => {
      const plain = await fetch(metadataUrl());
      assert.equal(plain.headers.get('content-type'), 'application/json; charset=utf-8');
      const json = (await plain.json()) as Record<string, unknown>;

      const res = await fetch(metadataUrl(), { headers: { accept: 'application/jwt' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^application\/jwt/);
      const jwt = await res.text();
      const header = decodeProtectedHeader(jwt);
      assert.equal(header.typ, 'openidvci-issuer-metadata+jwt', 'Section 12.2.3 typ');
      assert.equal(header.alg, 'ES256');
      const leaf = await leafFrom(header.x5c as string[], caPem);
      const { payload } = await jwtVerify(jwt, leaf.publicKey, { typ: 'openidvci-issuer-metadata+jwt' });
      assert.equal(payload.sub, server.issuer, 'sub is the Credential Issuer Identifier');
      assert.ok(typeof payload.iat === 'number' && Math.abs(payload.iat - Date.now() / 1000) < 60, 'iat');
      const { sub: _s, iat: _i, exp: _e, ...claims } = payload;
      assert.deepEqual(claims, json, 'every metadata parameter is a top-level claim');

      const preferJson = await fetch(metadataUrl(), { headers: { accept: 'application/json, application/jwt;q=0.5' } });
      assert.match(preferJson.headers.get('content-type') ?? '', /^application\/json/);
    });

    it('FMT-SD-11: an SD-JWT VC verifies with the key /.well-known/jwt-vc-issuer publishes for its iss; the leaf SAN names PUBLIC_URL', async () => {
      const wallet = await authorizedWallet(server);
      const res = await credentialRequest(server, wallet, await validCredentialBody(server, PID_SD_JWT));
      const credential = ((await res.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential;
      const issuerJwt = credential.split('~')[0]!;
      const { iss, iat, nbf, exp } = decodeJwt(issuerJwt);
      assert.equal(iss, server.issuer);
      for (const time of [iat, nbf, exp]) assert.equal(time! % 3600, 0, 'Section 15.4.1: time claims rounded to the hour');

      const metadataRes = await fetch(wellKnownOf(iss!), { headers: { origin: 'https://verifier.example' } });
      assert.equal(metadataRes.status, 200);
      assert.equal(metadataRes.headers.get('access-control-allow-origin'), '*');
      const metadata = (await metadataRes.json()) as { issuer: string; jwks: { keys: JWK[] } };
      assert.equal(metadata.issuer, iss, 'issuer equals iss');
      assert.ok(
        metadata.jwks.keys.every((k) => k.d === undefined),
        'public keys only',
      );
      const { kid } = decodeProtectedHeader(issuerJwt);
      const jwk = metadata.jwks.keys.find((k) => k.kid === kid);
      assert.ok(jwk, 'the credential kid is among the published keys');
      await compactVerify(issuerJwt, await importJWK(jwk, 'ES256'));
      await verifySdJwtVc(credential, caPem);

      const leaf = await leafFrom(decodeProtectedHeader(issuerJwt).x5c as string[], caPem);
      const san = leaf.subjectAltName ?? '';
      assert.ok(san.includes(`URI:${server.issuer}`), `SAN ${san} names PUBLIC_URL`);
      assert.ok(san.includes('IP Address:127.0.0.1'), `SAN ${san} names the IP host`);
    });
  });
}
