// The README's walk-through as one runnable script against a running playground:
//   node --import tsx scripts/walkthrough.ts [issuer URL, default http://localhost:3000]
// It creates an offer with a tx_code, fetches it by reference, redeems the pre-authorized code at
// /token with a DPoP proof, gets a c_nonce, and requests the credential with a key proof, printing
// each step. Only jose and fetch: a wallet's minimum.
import { createHash, randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';

const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const issuer = (process.argv[2] ?? process.env.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '');

async function json(response: Response, step: string): Promise<Record<string, unknown>> {
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${step}: HTTP ${response.status} ${JSON.stringify(body)}`);
  console.log(`${step}: HTTP ${response.status}`);
  return body;
}

/** RFC 9449: a DPoP proof for one request; `ath` binds it to the access token at resource endpoints. */
async function dpop(
  key: { privateKey: CryptoKey; publicJwk: JWK },
  htm: string,
  htu: string,
  accessToken?: string,
): Promise<string> {
  const ath = accessToken ? createHash('sha256').update(accessToken).digest('base64url') : undefined;
  return new SignJWT({ htm, htu, jti: randomUUID(), ...(ath ? { ath } : {}) })
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: key.publicJwk })
    .setIssuedAt()
    .sign(key.privateKey);
}

async function newKey() {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { privateKey, publicJwk: await exportJWK(publicKey) };
}

async function main(): Promise<void> {
  // 1. The tester creates an offer (POST /credential_offers): PID as SD-JWT VC, 6-digit tx_code.
  const created = await json(
    await fetch(`${issuer}/credential_offers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        credential_configuration_ids: ['eu.europa.ec.eudi.pid_vc_sd_jwt'],
        grants: { pre_authorized_code: { tx_code: { input_mode: 'numeric', length: 6 } } },
      }),
    }),
    '1. offer created',
  );
  console.log(`   open ${String(created.session_url)} to watch the session`);

  // 2. The wallet fetches the offer by reference and reads the issuer metadata.
  const offer = await json(await fetch(String(created.credential_offer_uri)), '2. offer fetched');
  const code = (offer.grants as Record<string, { 'pre-authorized_code': string }>)[PRE_AUTH]!['pre-authorized_code'];
  const metadata = await json(await fetch(`${issuer}/.well-known/openid-credential-issuer`), '   issuer metadata');

  // 3. Token request: the code, the tx_code the user typed, a DPoP proof of the wallet's key.
  const dpopKey = await newKey();
  const tokenEndpoint = `${issuer}/token`;
  const token = await json(
    await fetch(tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', dpop: await dpop(dpopKey, 'POST', tokenEndpoint) },
      body: new URLSearchParams({ grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: String(created.tx_code) }),
    }),
    '3. access token',
  );
  const accessToken = String(token.access_token);

  // 4. A fresh c_nonce, then the credential request with a key proof over it.
  const { c_nonce: nonce } = await json(await fetch(String(metadata.nonce_endpoint), { method: 'POST' }), '4. c_nonce');
  const holder = await newKey();
  const proof = await new SignJWT({ aud: issuer, nonce })
    .setProtectedHeader({ alg: 'ES256', typ: 'openid4vci-proof+jwt', jwk: holder.publicJwk })
    .setIssuedAt()
    .sign(holder.privateKey);
  const credentialEndpoint = String(metadata.credential_endpoint);
  const credential = await json(
    await fetch(credentialEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `DPoP ${accessToken}`,
        dpop: await dpop(dpopKey, 'POST', credentialEndpoint, accessToken),
      },
      body: JSON.stringify({ credential_configuration_id: 'eu.europa.ec.eudi.pid_vc_sd_jwt', proofs: { jwt: [proof] } }),
    }),
    '5. credential',
  );
  const issued = (credential.credentials as Array<{ credential: string }>)[0]!.credential;
  console.log(`   SD-JWT VC (${issued.split('~').length - 2} disclosures): ${issued.slice(0, 60)}…`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
