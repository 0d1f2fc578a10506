// The authorization code flow driven by the independent @openid4vc client: PAR with PKCE and DPoP
// (and a wallet attestation when asked), the browser step, the code exchange, credential requests
// (by configuration id or by credential_identifier) and refreshes.
import { createHash, randomBytes } from 'node:crypto';
import {
  type CallbackContext,
  clientAuthenticationClientAttestationJwt,
  clientAuthenticationNone,
  getAuthorizationServerMetadataFromList,
  type JwtSignerJwk,
  Oauth2Client,
  resourceRequest,
  type SignJwtCallback,
} from '@openid4vc/oauth2';
import {
  type CredentialOfferObject,
  getGlobalConfig,
  type IssuerMetadataResult,
  Openid4vciClient,
  setGlobalConfig,
} from '@openid4vc/openid4vci';
import { CompactSign, calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { HolderKey } from './wallet.ts';

export const REDIRECT_URI = 'https://wallet.example/cb';

async function newKey(): Promise<HolderKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateKey };
}

const jwkSigner = (k: HolderKey): JwtSignerJwk => ({
  method: 'jwk',
  alg: 'ES256',
  publicJwk: k.publicJwk as JwtSignerJwk['publicJwk'],
});

export interface AuthCodeWalletOptions {
  clientId?: string;
  walletAttestation?: { obtain: (instanceJwk: JWK) => Promise<string> };
  fetch?: typeof fetch;
}

export interface AuthorizationStart {
  authorizationRequestUrl: string;
  codeVerifier: string;
}

/** One wallet instance: its keys, client authentication and the library's clients. */
export async function authCodeWallet(opts: AuthCodeWalletOptions = {}) {
  setGlobalConfig({ ...getGlobalConfig(), allowInsecureUrls: true });
  const keys = new Map<string, HolderKey>();
  const register = async (k: HolderKey) => {
    keys.set(await calculateJwkThumbprint(k.publicJwk), k);
    return k;
  };
  const signJwt: SignJwtCallback = async (signer, { header, payload }) => {
    if (signer.method !== 'jwk') throw new Error(`test wallet only signs with jwk signers, got ${signer.method}`);
    const key = keys.get(await calculateJwkThumbprint(signer.publicJwk as JWK));
    if (!key) throw new Error('test wallet: unknown signing key');
    const jwt = await new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader(header as Parameters<CompactSign['setProtectedHeader']>[0])
      .sign(key.privateKey);
    return { jwt, signerJwk: signer.publicJwk };
  };
  const generateRandom = (n: number) => randomBytes(n);
  let clientId = opts.clientId ?? 'https://wallet.example/client';
  let clientAuthentication = clientAuthenticationNone({ clientId });
  if (opts.walletAttestation) {
    const instanceKey = await register(await newKey());
    const clientAttestationJwt = await opts.walletAttestation.obtain(instanceKey.publicJwk);
    const [, payload] = clientAttestationJwt.split('.');
    clientId = (JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { sub: string }).sub;
    clientAuthentication = clientAuthenticationClientAttestationJwt({
      clientAttestationJwt,
      callbacks: { signJwt, generateRandom },
    });
  }
  const callbacks: Omit<CallbackContext, 'verifyJwt' | 'decryptJwe' | 'encryptJwe'> = {
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    hash: (data, alg) => createHash(alg.replace('-', '')).update(data).digest(),
    generateRandom,
    signJwt,
    clientAuthentication,
  };
  const client = new Openid4vciClient({ callbacks });
  const oauth2 = new Oauth2Client({ callbacks });
  const dpopKey = await register(await newKey());
  let dpop: { signer: JwtSignerJwk; nonce?: string } = { signer: jwkSigner(dpopKey) };
  const asMetadata = (issuerMetadata: IssuerMetadataResult) =>
    getAuthorizationServerMetadataFromList(issuerMetadata.authorizationServers, issuerMetadata.authorizationServers[0]!.issuer);

  return {
    client,
    clientId,
    dpopKey,
    register,
    newHolderKey: async () => register(await newKey()),
    async resolve(offerUri: string): Promise<{ offer: CredentialOfferObject; issuerMetadata: IssuerMetadataResult }> {
      const offer = await client.resolveCredentialOffer(offerUri);
      return { offer, issuerMetadata: await client.resolveIssuerMetadata(offer.credential_issuer) };
    },
    /** PAR (the library pushes because the metadata has pushed_authorization_request_endpoint), PKCE S256 and DPoP. */
    async start(
      offer: CredentialOfferObject,
      issuerMetadata: IssuerMetadataResult,
      extra: { scope?: string; authorizationDetails?: unknown[] } = {},
    ): Promise<AuthorizationStart> {
      const started = await client.initiateAuthorization({
        credentialOffer: offer,
        issuerMetadata,
        clientId,
        redirectUri: REDIRECT_URI,
        ...(extra.scope ? { scope: extra.scope } : {}),
        ...(extra.authorizationDetails
          ? { additionalRequestPayload: { authorization_details: extra.authorizationDetails } }
          : {}),
        dpop,
      });
      if (!('authorizationRequestUrl' in started)) throw new Error('expected an OAuth2 redirect flow');
      return { authorizationRequestUrl: started.authorizationRequestUrl, codeVerifier: started.pkce!.codeVerifier };
    },
    /** The redirect back to the wallet, parsed and its iss verified by the library. */
    parseRedirect(location: string, issuerMetadata: IssuerMetadataResult) {
      return client.parseAndVerifyAuthorizationResponseRedirectUrl({
        url: location,
        authorizationServerMetadata: asMetadata(issuerMetadata),
      });
    },
    async exchange(
      offer: CredentialOfferObject,
      issuerMetadata: IssuerMetadataResult,
      code: string,
      codeVerifier: string,
      additionalRequestPayload?: Record<string, unknown>,
    ) {
      const token = await client.retrieveAuthorizationCodeAccessTokenFromOffer({
        credentialOffer: offer,
        issuerMetadata,
        authorizationCode: code,
        pkceCodeVerifier: codeVerifier,
        redirectUri: REDIRECT_URI,
        dpop,
        ...(additionalRequestPayload ? { additionalRequestPayload } : {}),
      });
      if (token.dpop) dpop = { ...dpop, ...token.dpop };
      return token.accessTokenResponse;
    },
    async refresh(issuerMetadata: IssuerMetadataResult, refreshToken: string) {
      const token = await oauth2.retrieveRefreshTokenAccessToken({
        authorizationServerMetadata: asMetadata(issuerMetadata),
        refreshToken,
        dpop,
        resource: issuerMetadata.credentialIssuer.credential_issuer,
      });
      if (token.dpop) dpop = { ...dpop, ...token.dpop };
      return token.accessTokenResponse;
    },
    /** A credential request by configuration id (the library's) or by credential_identifier (library DPoP, our body). */
    async credential(
      issuerMetadata: IssuerMetadataResult,
      accessToken: string,
      target: {
        configurationId: string;
        credentialIdentifier?: string;
        keyAttestation?: (keys: JWK[], cNonce: string) => Promise<string>;
      },
      batch = 1,
    ) {
      const { c_nonce: cNonce } = await client.requestNonce({ issuerMetadata });
      const holderKeys = await Promise.all(Array.from({ length: batch }, async () => register(await newKey())));
      const keyAttestationJwt = target.keyAttestation
        ? await target.keyAttestation(
            holderKeys.map((k) => k.publicJwk),
            cNonce,
          )
        : undefined;
      const jwts: string[] = [];
      for (const k of holderKeys) {
        jwts.push(
          (
            await client.createCredentialRequestJwtProof({
              issuerMetadata,
              credentialConfigurationId: target.configurationId,
              signer: jwkSigner(k),
              nonce: cNonce,
              ...(keyAttestationJwt ? { keyAttestationJwt } : {}),
            })
          ).jwt,
        );
      }
      const body = target.credentialIdentifier
        ? { credential_identifier: target.credentialIdentifier, proofs: { jwt: jwts } }
        : { credential_configuration_id: target.configurationId, proofs: { jwt: jwts } };
      const res = await resourceRequest({
        url: issuerMetadata.credentialIssuer.credential_endpoint,
        requestOptions: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        accessToken,
        dpop,
        callbacks,
      });
      if (res.dpop?.nonce) dpop = { ...dpop, nonce: res.dpop.nonce };
      const text = await res.response.text();
      let json: unknown = text;
      try {
        json = JSON.parse(text);
      } catch {
        /* kept as text */
      }
      return {
        status: res.response.status,
        body: json as { credentials?: Array<{ credential: string }>; error?: string; transaction_id?: string },
        holderKeys,
      };
    },
    /** A deferred credential poll with the library's DPoP handling. */
    async deferred(issuerMetadata: IssuerMetadataResult, accessToken: string, transactionId: string) {
      const res = await resourceRequest({
        url: issuerMetadata.credentialIssuer.deferred_credential_endpoint!,
        requestOptions: {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ transaction_id: transactionId }),
        },
        accessToken,
        dpop,
        callbacks,
      });
      if (res.dpop?.nonce) dpop = { ...dpop, nonce: res.dpop.nonce };
      return {
        status: res.response.status,
        body: JSON.parse(await res.response.text()) as { credentials?: Array<{ credential: string }>; error?: string },
      };
    },
  };
}

/** Opens the authorization URL like a browser that follows nothing: the 303 Location (auto approval). */
export async function openAuthorization(url: string): Promise<Response> {
  return fetch(url, { redirect: 'manual' });
}
