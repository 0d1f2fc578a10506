// Test wallet: drives the issuer through the independent @openid4vc client library,
// so tests exercise the server against a third-party implementation, not our own code.
import { createHash, randomBytes } from 'node:crypto';
import {
  type CallbackContext,
  clientAuthenticationAnonymous,
  clientAuthenticationClientAttestationJwt,
  clientAuthenticationNone,
  type JwtSignerJwk,
  type SignJwtCallback,
} from '@openid4vc/oauth2';
import {
  type CredentialOfferObject,
  getGlobalConfig,
  type IssuerMetadataResult,
  Openid4vciClient,
  Openid4vciRetrieveCredentialsError,
  setGlobalConfig,
} from '@openid4vc/openid4vci';
import { CompactSign, type CryptoKey, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export interface HolderKey {
  publicJwk: JWK;
  privateKey: CryptoKey;
}

export interface CredentialResponseRecord {
  configurationId: string;
  status: number;
  body: unknown;
  cNonce: string; // c_nonce used in this request's proofs
  holderKeys: HolderKey[]; // keys whose proofs were sent in this request
}

export interface WalletRunResult {
  offer: CredentialOfferObject;
  issuerMetadata: IssuerMetadataResult; // .credentialIssuer, .authorizationServers[], .originalDraftVersion
  accessTokenResponse: { access_token: string; token_type: string; [k: string]: unknown };
  tokenType: string;
  cNonce: string; // c_nonce of the first credential request
  credentialResponses: CredentialResponseRecord[];
  holderKeys: HolderKey[]; // all proof keys, in request order
  dpopPublicJwk: JWK;
  dpopNonce?: string; // last DPoP-Nonce seen from the token endpoint
  /** Polls the deferred credential endpoint through the library; raw status and body. */
  pollDeferred(transactionId: string): Promise<{ status: number; body: unknown }>;
  /** Sends a notification through the library; the HTTP status. */
  notify(notificationId: string, event: 'credential_accepted' | 'credential_failure' | 'credential_deleted'): Promise<number>;
}

export interface RunPreAuthorizedFlowOptions {
  offerUri: string; // 'openid-credential-offer://?credential_offer_uri=...'
  txCode?: string;
  batch?: number; // proofs (distinct keys) per credential request, default 1
  configurationIds?: string[]; // default: all from the offer
  fetch?: typeof fetch;
  clientId?: string; // if set, sent as client_id in the token request (auth method "none")
  allowInsecureUrls?: boolean; // default true: the library rejects http:// URLs otherwise
  /** Key attestation for the holder keys: in each jwt proof's key_attestation header, or as the attestation proof type. */
  keyAttestation?: { form: 'jwt' | 'attestation'; obtain: (attestedKeys: JWK[], cNonce: string) => Promise<string> };
  /** Client authentication with a wallet attestation for this wallet instance's key (the PoP is made by the library). */
  walletAttestation?: { obtain: (instanceJwk: JWK) => Promise<string> };
}

async function newKey(): Promise<HolderKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateKey }; // kty/crv/x/y only
}

// The library only hands us the signer (with its public JWK); look up the private key by thumbprint.
function makeSigner(keys: Map<string, HolderKey>): SignJwtCallback {
  return async (signer, { header, payload }) => {
    if (signer.method !== 'jwk') throw new Error(`test wallet only signs with jwk signers, got ${signer.method}`);
    const key = keys.get(await calculateJwkThumbprint(signer.publicJwk as JWK));
    if (!key) throw new Error('test wallet: unknown signing key');
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header as Parameters<CompactSign['setProtectedHeader']>[0])
      .sign(key.privateKey);
    return { jwt, signerJwk: signer.publicJwk };
  };
}

const jwkSigner = (k: HolderKey): JwtSignerJwk => ({
  method: 'jwk',
  alg: 'ES256',
  publicJwk: k.publicJwk as JwtSignerJwk['publicJwk'],
});

async function readBody(res: Response): Promise<unknown> {
  const text = await res.clone().text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function runPreAuthorizedFlow(opts: RunPreAuthorizedFlowOptions): Promise<WalletRunResult> {
  // Global, process-wide switch in @openid4vc/utils; needed for http://127.0.0.1 test servers.
  if (opts.allowInsecureUrls ?? true) setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: true });

  const keys = new Map<string, HolderKey>();
  const register = async (k: HolderKey) => {
    keys.set(await calculateJwkThumbprint(k.publicJwk), k);
    return k;
  };

  const signJwt = makeSigner(keys);
  const generateRandom = (n: number) => randomBytes(n);
  // Pre-authorized code flow: no client authentication unless a client_id or a wallet attestation is wanted.
  let clientAuthentication = opts.clientId
    ? clientAuthenticationNone({ clientId: opts.clientId })
    : clientAuthenticationAnonymous();
  if (opts.walletAttestation) {
    const instanceKey = await register(await newKey());
    const clientAttestationJwt = await opts.walletAttestation.obtain(instanceKey.publicJwk);
    clientAuthentication = clientAuthenticationClientAttestationJwt({
      clientAttestationJwt,
      callbacks: { signJwt, generateRandom },
    });
  }
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    fetch: opts.fetch,
    hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
    generateRandom,
    signJwt,
    clientAuthentication,
  };
  const client = new Openid4vciClient({ callbacks });

  const offer = await client.resolveCredentialOffer(opts.offerUri);
  // Fetches /.well-known/openid-credential-issuer and /.well-known/oauth-authorization-server.
  const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);

  const dpopKey = await register(await newKey());
  // Library retries once on a 400 `use_dpop_nonce` error carrying a DPoP-Nonce header.
  const token = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
    credentialOffer: offer,
    issuerMetadata,
    txCode: opts.txCode,
    dpop: { signer: jwkSigner(dpopKey) },
  });
  const { accessTokenResponse } = token;
  let dpop = token.dpop ?? { signer: jwkSigner(dpopKey) };

  const batch = opts.batch ?? 1;
  const credentialResponses: CredentialResponseRecord[] = [];
  for (const configurationId of opts.configurationIds ?? offer.credential_configuration_ids) {
    // Fresh nonce per request so single-use c_nonce servers work with several configurations.
    const { c_nonce: cNonce } = await client.requestNonce({ issuerMetadata });
    const holderKeys = await Promise.all(Array.from({ length: batch }, async () => register(await newKey())));
    const keyAttestationJwt = opts.keyAttestation
      ? await opts.keyAttestation.obtain(
          holderKeys.map((k) => k.publicJwk),
          cNonce,
        )
      : undefined;
    const jwts: string[] = [];
    for (const k of opts.keyAttestation?.form === 'attestation' ? [] : holderKeys) {
      const { jwt } = await client.createCredentialRequestJwtProof({
        issuerMetadata,
        credentialConfigurationId: configurationId,
        signer: jwkSigner(k),
        nonce: cNonce,
        ...(keyAttestationJwt ? { keyAttestationJwt } : {}),
      });
      jwts.push(jwt);
    }
    const proofs = opts.keyAttestation?.form === 'attestation' ? { attestation: [keyAttestationJwt!] } : { jwt: jwts };
    try {
      // Library retries once on 401 + WWW-Authenticate: DPoP error="use_dpop_nonce".
      const res = await client.retrieveCredentials({
        issuerMetadata,
        credentialConfigurationId: configurationId,
        proofs,
        accessToken: accessTokenResponse.access_token,
        dpop,
      });
      if (res.dpop?.nonce) dpop = { ...dpop, nonce: res.dpop.nonce };
      credentialResponses.push({
        configurationId,
        status: res.response.status,
        body: await readBody(res.response),
        cNonce,
        holderKeys,
      });
    } catch (e) {
      // Non-2xx (or unparseable 2xx) responses are data for the tests, not wallet failures.
      if (!(e instanceof Openid4vciRetrieveCredentialsError)) throw e;
      const r = e.response.response;
      credentialResponses.push({ configurationId, status: r.status, body: await readBody(r), cNonce, holderKeys });
    }
  }

  const pollDeferred = async (transactionId: string) => {
    try {
      const res = await client.retrieveDeferredCredentials({
        issuerMetadata,
        accessToken: accessTokenResponse.access_token,
        transactionId,
        dpop,
      });
      if (res.dpop?.nonce) dpop = { ...dpop, nonce: res.dpop.nonce };
      return { status: res.response.status, body: await readBody(res.response) };
    } catch (e) {
      // 0.4.6 rejects a deferred 200 carrying notification_id (its check is inverted): the raw response is still the answer.
      if (!(e instanceof Openid4vciRetrieveCredentialsError)) throw e;
      const r = e.response.response;
      return { status: r.status, body: await readBody(r) };
    }
  };
  const notify = async (notificationId: string, event: 'credential_accepted' | 'credential_failure' | 'credential_deleted') => {
    const res = await client.sendNotification({
      issuerMetadata,
      accessToken: accessTokenResponse.access_token,
      dpop,
      notification: { notificationId, event },
    });
    if (res.dpop?.nonce) dpop = { ...dpop, nonce: res.dpop.nonce };
    return res.response.status;
  };

  return {
    pollDeferred,
    notify,
    offer,
    issuerMetadata,
    accessTokenResponse,
    tokenType: accessTokenResponse.token_type,
    cNonce: credentialResponses[0]?.cNonce ?? '',
    credentialResponses,
    holderKeys: credentialResponses.flatMap((r) => r.holderKeys),
    dpopPublicJwk: dpopKey.publicJwk,
    dpopNonce: token.dpop?.nonce,
  };
}
