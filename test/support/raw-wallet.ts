// Hand-built wallet requests, for exercising every rejection path byte by byte.
import { createHash, randomUUID } from 'node:crypto';
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { diagnostic } from '../../src/diagnostics/index.ts';
import type { LogEntry, RejectionRecord, TrailRecord } from '../../src/domain/log.ts';
import { summaryOf } from '../../src/ui/log-entry-view.ts';
import type { TestServer } from './server.ts';

/**
 * Where requests go: a test server, or any issuer. `via` sends them to one node of several behind
 * the issuer's URL, while DPoP proofs and key proofs still name the issuer's URL (htu, aud).
 */
export type Target = Pick<TestServer, 'issuer'> & { via?: string };

const at = (server: Target, path: string) => `${server.via ?? server.issuer}${path}`;

export const PID_SD_JWT = 'eu.europa.ec.eudi.pid_vc_sd_jwt';
export const PID_JWT_VC = 'eu.europa.ec.eudi.pid_jwt_vc';
export const DIPLOMA = 'org.example.university_diploma_sd_jwt';
export const PRE_AUTH = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';

export interface Key {
  privateKey: CryptoKey;
  publicJwk: JWK;
  alg: string;
}

export async function newKey(alg = 'ES256'): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicJwk: await exportJWK(publicKey), alg };
}

export const ath = (token: string): string => createHash('sha256').update(token).digest('base64url');

export async function dpopProof(
  key: Key,
  claims: { htu: string; htm?: string; ath?: string; nonce?: string; jti?: string; iat?: number },
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT({
    jti: claims.jti ?? randomUUID(),
    htm: claims.htm ?? 'POST',
    htu: claims.htu,
    iat: claims.iat ?? Math.floor(Date.now() / 1000),
    ...(claims.ath ? { ath: claims.ath } : {}),
    ...(claims.nonce ? { nonce: claims.nonce } : {}),
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: key.alg, jwk: key.publicJwk, ...header })
    .sign(key.privateKey);
}

export async function keyProof(key: Key, claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT({ iat: Math.floor(Date.now() / 1000), ...claims })
    .setProtectedHeader({ typ: 'openid4vci-proof+jwt', alg: key.alg, jwk: key.publicJwk, ...header })
    .sign(key.privateKey);
}

export interface CreatedOffer {
  session_id: string;
  session_token: string;
  offer_id: string;
  credential_offer: { grants: Record<string, { 'pre-authorized_code': string }> } & Record<string, unknown>;
  credential_offer_uri: string;
  offer_link: string;
  session_url: string;
  tx_code: string | null;
}

export async function createOffer(server: Target, body: Record<string, unknown> = {}): Promise<CreatedOffer> {
  const res = await fetch(at(server, '/credential_offers'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ credential_configuration_ids: [PID_SD_JWT], ...body }),
  });
  if (res.status !== 201) throw new Error(`offer creation failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as CreatedOffer;
}

export const codeOf = (offer: CreatedOffer): string => offer.credential_offer.grants[PRE_AUTH]!['pre-authorized_code'];

export async function tokenRequest(
  server: Target,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(at(server, '/token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** Offer → DPoP-bound access token, the happy path most rejection tests start from. */
export async function authorizedWallet(server: Target, offerBody: Record<string, unknown> = {}) {
  const offer = await createOffer(server, offerBody);
  const dpopKey = await newKey();
  const res = await tokenRequest(
    server,
    { grant_type: PRE_AUTH, 'pre-authorized_code': codeOf(offer), ...(offer.tx_code ? { tx_code: offer.tx_code } : {}) },
    { DPoP: await dpopProof(dpopKey, { htu: `${server.issuer}/token` }) },
  );
  if (res.status !== 200) throw new Error(`token failed: ${res.status} ${await res.text()}`);
  const { access_token: accessToken } = (await res.json()) as { access_token: string };
  return { offer, dpopKey, accessToken };
}

export async function cNonce(server: Target): Promise<string> {
  const res = await fetch(at(server, '/nonce'), { method: 'POST' });
  return ((await res.json()) as { c_nonce: string }).c_nonce;
}

/** POST /credential with a correct DPoP proof for the token unless headers override it. */
export async function credentialRequest(
  server: Target,
  wallet: { dpopKey: Key; accessToken: string },
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const dpop = await dpopProof(wallet.dpopKey, { htu: `${server.issuer}/credential`, ath: ath(wallet.accessToken) });
  return fetch(at(server, '/credential'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `DPoP ${wallet.accessToken}`, DPoP: dpop, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A valid 1.0 credential request body with one fresh proof. */
export async function validCredentialBody(server: Target, configurationId = PID_SD_JWT, holder?: Key) {
  const key = holder ?? (await newKey());
  const proof = await keyProof(key, { aud: server.issuer, nonce: await cNonce(server) });
  return { credential_configuration_id: configurationId, proofs: { jwt: [proof] } };
}

/** Every log entry of a session (or of the unassigned stream when sessionId is null), newest first. */
export async function sessionLog(server: TestServer, sessionId: string | null): Promise<LogEntry[]> {
  return (await server.store.logs.filteredPage(sessionId, {}, 1000, 0)).entries;
}

/** Every record of those entries, of one kind: newest entry first, in order within an entry. */
export async function sessionRecords<K extends TrailRecord['kind']>(
  server: TestServer,
  sessionId: string | null,
  kind: K,
): Promise<Array<Extract<TrailRecord, { kind: K }>>> {
  return (await sessionLog(server, sessionId)).flatMap((e) =>
    e.records.filter((r): r is Extract<TrailRecord, { kind: K }> => r.kind === kind),
  );
}

/** The newest rejection of a session (or of the unassigned stream), with its catalogue explanation. */
export async function lastError(server: TestServer, sessionId: string | null) {
  const entry = (await server.store.logs.filteredPage(sessionId, { level: 'error' }, 1, 0)).entries[0];
  const rejection = entry?.records.find((r): r is RejectionRecord => r.kind === 'rejection');
  if (!entry || !rejection) return undefined;
  const d = diagnostic(rejection.diagnostic);
  const { detail, facts = {}, jwt, findings } = rejection;
  return {
    entry,
    diagnostic: d.id,
    detail,
    facts,
    jwt,
    message: summaryOf(entry),
    reason: d.reason,
    help: d.help,
    spec_ref: d.spec_ref,
    findings,
  };
}

/** POST to a resource endpoint (/deferred_credential, /notification) with a correct DPoP proof for the token. */
export async function resourceRequest(
  server: Target,
  path: string,
  wallet: { dpopKey: Key; accessToken: string },
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  const dpop = await dpopProof(wallet.dpopKey, { htu: `${server.issuer}${path}`, ath: ath(wallet.accessToken) });
  return fetch(at(server, path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `DPoP ${wallet.accessToken}`, DPoP: dpop, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A session's capability, as POST /credential_offers handed it out. */
export type SessionCapability = Pick<CreatedOffer, 'session_id' | 'session_token'>;

/** A request to a session's page or API with its capability (Authorization: Bearer session_token). */
export async function sessionFetch(
  server: Target,
  session: SessionCapability,
  path: string,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(at(server, path), {
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${session.session_token}` },
  });
}

export async function supplyClaimsApi(server: Target, session: SessionCapability, body: unknown): Promise<Response> {
  return sessionFetch(server, session, `/api/sessions/${session.session_id}/claims`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
