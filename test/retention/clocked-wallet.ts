// Wallet requests whose DPoP proofs and key proofs carry the server's injected clock, so a flow can
// run at any moment of it (a week ago, or now): retention tests make sessions of different ages.
import assert from 'node:assert/strict';
import {
  ath,
  type CreatedOffer,
  cNonce,
  codeOf,
  createOffer,
  dpopProof,
  type Key,
  keyProof,
  newKey,
  PID_SD_JWT,
  PRE_AUTH,
  tokenRequest,
} from '../support/raw-wallet.ts';
import type { TestServer } from '../support/server.ts';

export const PID_DEFERRED = `${PID_SD_JWT}_deferred`;

export interface ClockedWallet {
  offer: CreatedOffer;
  dpopKey: Key;
  accessToken: string;
}

const iat = (now: () => number) => Math.floor(now() / 1000);

/** Redeems an offer's code for a DPoP-bound access token, at the server's time. */
export async function redeem(server: TestServer, now: () => number, offer: CreatedOffer): Promise<ClockedWallet> {
  const dpopKey = await newKey();
  const res = await tokenRequest(
    server,
    { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer) },
    {
      DPoP: await dpopProof(dpopKey, { htu: `${server.issuer}/token`, iat: iat(now) }),
    },
  );
  assert.equal(res.status, 200, await res.clone().text());
  return { offer, dpopKey, accessToken: ((await res.json()) as { access_token: string }).access_token };
}

export async function redeemedOffer(
  server: TestServer,
  now: () => number,
  offerBody: Record<string, unknown> = {},
): Promise<ClockedWallet> {
  return redeem(server, now, await createOffer(server, offerBody));
}

/** POST to a protected endpoint with the token and a DPoP proof made at the server's time. */
export async function resourcePost(
  server: TestServer,
  now: () => number,
  wallet: ClockedWallet,
  path: string,
  body: unknown,
): Promise<Response> {
  const dpop = await dpopProof(wallet.dpopKey, { htu: `${server.issuer}${path}`, ath: ath(wallet.accessToken), iat: iat(now) });
  return fetch(`${server.issuer}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `DPoP ${wallet.accessToken}`, DPoP: dpop },
    body: JSON.stringify(body),
  });
}

/** A credential request with a fresh c_nonce and key proof. */
export async function credentialPost(
  server: TestServer,
  now: () => number,
  wallet: ClockedWallet,
  configurationId: string,
): Promise<Response> {
  const proof = await keyProof(await newKey(), { aud: server.issuer, nonce: await cNonce(server), iat: iat(now) });
  return resourcePost(server, now, wallet, '/credential', {
    credential_configuration_id: configurationId,
    proofs: { jwt: [proof] },
  });
}

/**
 * A session with rows in every table that belongs to a session: offer, code, an offer trust anchor,
 * token, an issued credential and its accepted notification, a pending deferred transaction (ready
 * at its first poll), events and log entries.
 */
export async function fullFlow(server: TestServer, now: () => number): Promise<ClockedWallet & { transactionId: string }> {
  const wallet = await redeemedOffer(server, now, {
    credential_configuration_ids: [PID_SD_JWT, PID_DEFERRED],
    deferred: { ready_after_polls: 1 },
    trust_anchors: [{ kind: 'key_attestation', label: 'Retention test root', jwk: (await newKey()).publicJwk }],
  });
  const issued = await credentialPost(server, now, wallet, PID_SD_JWT);
  assert.equal(issued.status, 200, await issued.clone().text());
  const { notification_id } = (await issued.json()) as { notification_id: string };
  const accepted = await resourcePost(server, now, wallet, '/notification', { notification_id, event: 'credential_accepted' });
  assert.equal(accepted.status, 204, await accepted.clone().text());
  const deferred = await credentialPost(server, now, wallet, PID_DEFERRED);
  assert.equal(deferred.status, 202, await deferred.clone().text());
  return { ...wallet, transactionId: ((await deferred.json()) as { transaction_id: string }).transaction_id };
}
