// Holder keys named by did:jwk or did:key (P-256, P-384, Ed25519) in the proof kid, resolved
// locally, or carried as x5c (OID4VCI 1.0 Appendix F.1; PRF-03, PRF-06): accepted where the
// configuration lists the method, the credential bound to that key, and each fault diagnosed.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as x509 from '@peculiar/x509';
import { type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { authorizedWallet, cNonce, credentialRequest, lastError, PID_JWT_VC, PID_SD_JWT } from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifyJwtVc, verifySdJwtVc } from '../support/verify-credential.ts';

x509.cryptoProvider.set(webcrypto as Crypto);

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function base58btc(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE58[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    out = `1${out}`;
  }
  return out;
}

/** did:key v0.7 Section 3.1.2: "z" + base58btc(multicodec varint || key), EC keys compressed (SEC 1 Section 2.3.3). */
function didKeyOf(jwk: JWK): string {
  const x = Buffer.from(jwk.x!, 'base64url');
  if (jwk.kty === 'OKP') return `did:key:z${base58btc(Buffer.concat([Buffer.from([0xed, 0x01]), x]))}`;
  const y = Buffer.from(jwk.y!, 'base64url');
  const codec = jwk.crv === 'P-256' ? [0x80, 0x24] : [0x81, 0x24];
  return `did:key:z${base58btc(Buffer.concat([Buffer.from(codec), Buffer.from([y[y.length - 1]! & 1 ? 0x03 : 0x02]), x]))}`;
}
const didJwkOf = (jwk: JWK) => `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;

async function holder(alg: 'ES256' | 'ES384' | 'EdDSA') {
  const { publicKey, privateKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  return { alg, privateKey, publicJwk: await exportJWK(publicKey) };
}

async function proof(
  server: TestServer,
  key: { alg: string; privateKey: CryptoKey },
  header: Record<string, unknown>,
): Promise<string> {
  return new SignJWT({ aud: server.issuer, nonce: await cNonce(server), iat: Math.floor(Date.now() / 1000) })
    .setProtectedHeader({ typ: 'openid4vci-proof+jwt', alg: key.alg, ...header })
    .sign(key.privateKey);
}

describe('holder keys by DID and x5c', () => {
  let server: TestServer;
  let caPem: string;
  before(async () => {
    server = await startServer();
    caPem = await playgroundCa(server.issuer);
  });
  after(() => server.close());

  async function request(configurationId: string, jwt: string) {
    const wallet = await authorizedWallet(server, { credential_configuration_ids: [configurationId] });
    const res = await credentialRequest(server, wallet, { credential_configuration_id: configurationId, proofs: { jwt: [jwt] } });
    return { res, sessionId: wallet.offer.session_id };
  }

  it('metadata lists the binding methods per configuration', async () => {
    const metadata = (await (await fetch(`${server.origin}/.well-known/openid-credential-issuer`)).json()) as {
      credential_configurations_supported: Record<string, { cryptographic_binding_methods_supported: string[] }>;
    };
    const methods = (id: string) => metadata.credential_configurations_supported[id]!.cryptographic_binding_methods_supported;
    assert.deepEqual(methods(PID_JWT_VC), ['jwk', 'did:jwk', 'did:key']);
    assert.deepEqual(methods(PID_SD_JWT), ['jwk']);
    assert.deepEqual(methods('eu.europa.ec.eudi.pid_mdoc'), ['cose_key']);
  });

  const cases = [
    { name: 'did:jwk P-256', alg: 'ES256', did: didJwkOf, fragment: () => '#0' },
    { name: 'did:key P-256', alg: 'ES256', did: didKeyOf, fragment: (did: string) => `#${did.slice('did:key:'.length)}` },
    { name: 'did:key P-384', alg: 'ES384', did: didKeyOf, fragment: (did: string) => `#${did.slice('did:key:'.length)}` },
    { name: 'did:key Ed25519', alg: 'EdDSA', did: didKeyOf, fragment: (did: string) => `#${did.slice('did:key:'.length)}` },
  ] as const;
  for (const c of cases) {
    it(`PRF-06: a ${c.name} kid is accepted for jwt_vc_json and the credential is bound to the DID and its key`, async () => {
      const key = await holder(c.alg);
      const did = c.did(key.publicJwk);
      const { res } = await request(PID_JWT_VC, await proof(server, key, { kid: `${did}${c.fragment(did)}` }));
      assert.equal(res.status, 200, await res.clone().text());
      const credential = ((await res.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential;
      const verified = await verifyJwtVc(credential, caPem);
      assert.equal(verified.payload.sub, did, 'sub is the DID');
      assert.equal(verified.claims.id, did, 'credentialSubject.id is the DID');
      assert.equal(verified.holderJkt, await calculateJwkThumbprint(key.publicJwk), 'cnf.jwk is the key the DID names');
    });
  }

  it('PRF-06, PRF-03: a DID the configuration does not list, another method, a kid that is no DID and a broken did:key are refused', async () => {
    const key = await holder('ES256');
    const refusals: Array<[string, string, Record<string, unknown>]> = [
      [PID_SD_JWT, 'PRF-06.did_method', { kid: `${didJwkOf(key.publicJwk)}#0` }],
      [PID_JWT_VC, 'PRF-06.did_method', { kid: 'did:web:wallet.example#key-1' }],
      [PID_JWT_VC, 'PRF-06', { kid: 'key-1' }],
      [PID_JWT_VC, 'PRF-03.did_unresolvable', { kid: 'did:key:z6MkInvalid0OIl' }],
    ];
    for (const [configurationId, diagnosticId, header] of refusals) {
      const { res, sessionId } = await request(configurationId, await proof(server, key, header));
      assert.equal(res.status, 400, diagnosticId);
      assert.equal(((await res.json()) as { error: string }).error, 'invalid_proof');
      assert.equal((await lastError(server, sessionId))!.diagnostic, diagnosticId);
    }
    const other = await holder('ES256');
    const { res } = await request(PID_JWT_VC, await proof(server, key, { kid: `${didJwkOf(other.publicJwk)}#0` }));
    assert.equal(res.status, 400, 'a DID of another key: the signature does not verify');
  });

  it('x5c: the proof key from the first certificate binds an SD-JWT VC', async () => {
    const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
    const certificate = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: 'CN=Test Wallet Key',
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      keys,
      signingAlgorithm: algorithm,
    });
    const jwt = await proof(
      server,
      { alg: 'ES256', privateKey: keys.privateKey },
      { x5c: [Buffer.from(certificate.rawData).toString('base64')] },
    );
    const { res } = await request(PID_SD_JWT, jwt);
    assert.equal(res.status, 200, await res.clone().text());
    const credential = ((await res.json()) as { credentials: Array<{ credential: string }> }).credentials[0]!.credential;
    const verified = await verifySdJwtVc(credential, caPem);
    assert.equal(verified.holderJkt, await calculateJwkThumbprint((await exportJWK(keys.publicKey)) as JWK));
  });
});
