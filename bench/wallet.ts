// One simulated wallet flow: pre-authorized code, DPoP-bound token, jwt key proof, one credential.
import { createHash, randomUUID } from 'node:crypto';
import { CompactSign, type CryptoKey, decodeJwt, exportJWK, generateKeyPair, type JWK } from 'jose';

export const CONFIGURATION_ID = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
const PRE_AUTHORIZED_GRANT = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
const REQUEST_TIMEOUT_MS = 10_000;

export const STEPS = ['offer_create', 'offer_fetch', 'token', 'nonce', 'credential'] as const;
export type Step = (typeof STEPS)[number];
export type Latencies = Record<Step, number[]>;

export class FlowError extends Error {}

interface Key {
  jwk: JWK;
  privateKey: CryptoKey;
}

async function newKey(): Promise<Key> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  return { jwk: await exportJWK(publicKey), privateKey };
}

async function signJwt(key: Key, typ: string, payload: Record<string, unknown>): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
    .setProtectedHeader({ typ, alg: 'ES256', jwk: key.jwk })
    .sign(key.privateKey);
}

const nowS = () => Math.floor(Date.now() / 1000);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function expect(condition: unknown, step: Step, message: string): asserts condition {
  if (!condition) throw new FlowError(`${step}: ${message}`);
}

/** Sends one request, records its latency (including reading the body) and checks the status. */
async function call(
  latencies: Latencies,
  step: Step,
  url: string,
  init: RequestInit,
  status: number,
): Promise<Record<string, unknown>> {
  const started = performance.now();
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const text = await res.text();
  latencies[step].push(performance.now() - started);
  expect(res.status === status, step, `HTTP ${res.status}, expected ${status}: ${text.slice(0, 300)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FlowError(`${step}: body is not JSON: ${text.slice(0, 300)}`);
  }
  expect(isObject(body), step, `body is not a JSON object: ${text.slice(0, 300)}`);
  return body;
}

/** A wallet holding a DPoP-bound access token for one session. */
export interface TokenHolder {
  sessionId: string;
  /** The session's capability, for its page and API. */
  sessionToken: string;
  accessToken: string;
  dpopKey: Key;
}

/** Offer, offer fetch and token: what every flow does before asking for credentials. */
export async function obtainToken(baseUrl: string, latencies: Latencies): Promise<TokenHolder> {
  const created = await call(
    latencies,
    'offer_create',
    `${baseUrl}/credential_offers`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ credential_configuration_ids: [CONFIGURATION_ID] }),
    },
    201,
  );
  const offerUri = created.credential_offer_uri;
  expect(typeof offerUri === 'string', 'offer_create', 'no credential_offer_uri');
  // Only ever talk to the local server, whatever URL it hands out.
  expect(
    URL.canParse(offerUri) && new URL(offerUri).origin === baseUrl,
    'offer_create',
    `credential_offer_uri ${offerUri} is not under ${baseUrl}`,
  );
  const createdCode = preAuthorizedCode(created.credential_offer);
  expect(createdCode, 'offer_create', 'credential_offer has no pre-authorized_code');
  expect(
    typeof created.session_id === 'string' && typeof created.session_token === 'string',
    'offer_create',
    'no session_id or session_token',
  );

  const offer = await call(latencies, 'offer_fetch', offerUri, { method: 'GET' }, 200);
  expect(offer.credential_issuer === baseUrl, 'offer_fetch', `credential_issuer is ${JSON.stringify(offer.credential_issuer)}`);
  expect(
    Array.isArray(offer.credential_configuration_ids) && offer.credential_configuration_ids.includes(CONFIGURATION_ID),
    'offer_fetch',
    'configuration id missing',
  );
  const code = preAuthorizedCode(offer);
  expect(code === createdCode, 'offer_fetch', 'pre-authorized_code differs from the one returned at creation');

  const dpopKey = await newKey();
  const tokenUrl = `${baseUrl}/token`;
  const token = await call(
    latencies,
    'token',
    tokenUrl,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        dpop: await signJwt(dpopKey, 'dpop+jwt', { jti: randomUUID(), htm: 'POST', htu: tokenUrl, iat: nowS() }),
      },
      body: new URLSearchParams({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code }).toString(),
    },
    200,
  );
  const accessToken = token.access_token;
  expect(typeof accessToken === 'string' && accessToken.length > 0, 'token', 'no access_token');
  expect(token.token_type === 'DPoP', 'token', `token_type is ${JSON.stringify(token.token_type)}`);
  return { sessionId: created.session_id, sessionToken: created.session_token as string, accessToken, dpopKey };
}

/**
 * A fresh c_nonce and one credential request with a new holder key. With `staleNonce` the proof
 * carries a nonce the server never issued, so the request is refused (400 invalid_nonce).
 */
export async function requestCredential(
  baseUrl: string,
  holder: TokenHolder,
  latencies: Latencies,
  staleNonce = false,
): Promise<string | undefined> {
  const nonce = await call(latencies, 'nonce', `${baseUrl}/nonce`, { method: 'POST' }, 200);
  expect(typeof nonce.c_nonce === 'string' && nonce.c_nonce.length > 0, 'nonce', 'no c_nonce');

  const proofKey = await newKey();
  const proof = await signJwt(proofKey, 'openid4vci-proof+jwt', {
    aud: baseUrl,
    iat: nowS(),
    nonce: staleNonce ? randomUUID() : nonce.c_nonce,
  });
  const credentialUrl = `${baseUrl}/credential`;
  const ath = createHash('sha256').update(holder.accessToken).digest('base64url');
  const issued = await call(
    latencies,
    'credential',
    credentialUrl,
    {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `DPoP ${holder.accessToken}`,
        dpop: await signJwt(holder.dpopKey, 'dpop+jwt', { jti: randomUUID(), htm: 'POST', htu: credentialUrl, iat: nowS(), ath }),
      },
      body: JSON.stringify({ credential_configuration_id: CONFIGURATION_ID, proofs: { jwt: [proof] } }),
    },
    staleNonce ? 400 : 200,
  );
  if (staleNonce) {
    expect(issued.error === 'invalid_nonce', 'credential', `error is ${JSON.stringify(issued.error)}, expected invalid_nonce`);
    return undefined;
  }
  const credentials = issued.credentials;
  expect(
    Array.isArray(credentials) && credentials.length === 1 && isObject(credentials[0]),
    'credential',
    'expected exactly one entry in credentials',
  );
  const credential = credentials[0].credential;
  expect(typeof credential === 'string', 'credential', 'credential is not a string');
  checkSdJwt(credential, proofKey.jwk);
  return credential;
}

/** Runs the whole flow against baseUrl; resolves with the credential or throws. */
export async function runFlow(baseUrl: string, latencies: Latencies): Promise<string> {
  const credential = await requestCredential(baseUrl, await obtainToken(baseUrl, latencies), latencies);
  return credential!;
}

function preAuthorizedCode(offer: unknown): string | undefined {
  const grant = isObject(offer) && isObject(offer.grants) ? offer.grants[PRE_AUTHORIZED_GRANT] : undefined;
  const code = isObject(grant) ? grant['pre-authorized_code'] : undefined;
  return typeof code === 'string' && code.length > 0 ? code : undefined;
}

/** An SD-JWT (issuer JWT~disclosures~) bound to the proof key via cnf.jwk. */
function checkSdJwt(credential: string, holderJwk: JWK): void {
  const [jwt, ...disclosures] = credential.split('~');
  expect(disclosures.length > 1 && credential.endsWith('~'), 'credential', 'not an SD-JWT with disclosures');
  let payload: Record<string, unknown>;
  try {
    payload = decodeJwt(jwt!);
  } catch {
    throw new FlowError('credential: issuer JWT does not decode');
  }
  const cnf = payload.cnf;
  const bound = isObject(cnf) && isObject(cnf.jwk) && cnf.jwk.x === holderJwk.x && cnf.jwk.y === holderJwk.y;
  expect(bound, 'credential', 'cnf.jwk is not the proof key');
}
