// Hand-built requests of the authorization code flow: PAR, /authorize and the code and refresh grants.
import { createHash, randomBytes } from 'node:crypto';
import { dpopProof, type Key, newKey, type Target } from './raw-wallet.ts';

export const REDIRECT = 'https://wallet.example/cb';
export const CLIENT = 'https://wallet.example/client';
export const PID_SCOPE = 'eu.europa.ec.eudi.pid_vc_sd_jwt';

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface ParOptions {
  issuerState?: string;
  form?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  /** Sign a DPoP proof for /par with this key (default: a fresh key); null sends none. */
  dpopKey?: Key | null;
  /** Where to push (default: the issuer's /par). */
  base?: string;
}

export async function pushRequest(server: Target, options: ParOptions = {}) {
  const base = options.base ?? server.issuer;
  const codes = pkce();
  const dpopKey = options.dpopKey === null ? undefined : (options.dpopKey ?? (await newKey()));
  const form: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: CLIENT,
    redirect_uri: REDIRECT,
    scope: PID_SCOPE,
    state: 'state-123',
    code_challenge: codes.challenge,
    code_challenge_method: 'S256',
    ...(options.issuerState ? { issuer_state: options.issuerState } : {}),
    ...options.form,
  };
  const body = new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  const res = await fetch(`${base}/par`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(dpopKey ? { DPoP: await dpopProof(dpopKey, { htu: `${base}/par` }) } : {}),
      ...options.headers,
    },
    body,
  });
  return { res, pkce: codes, dpopKey, base };
}

export const issuerStateOf = (offer: { credential_offer: Record<string, unknown> }): string =>
  (offer.credential_offer.grants as { authorization_code: { issuer_state: string } }).authorization_code.issuer_state;

export async function openAuthorize(base: string, params: Record<string, string>): Promise<Response> {
  return fetch(`${base}/authorize?${new URLSearchParams(params).toString()}`, { redirect: 'manual' });
}

/** PAR then /authorize of an auto-approved offer: the code from the 303. */
export async function codeFor(server: Target, issuerState: string, options: ParOptions = {}) {
  const pushed = await pushRequest(server, { issuerState, ...options });
  if (pushed.res.status !== 201) throw new Error(`PAR failed: ${pushed.res.status} ${await pushed.res.text()}`);
  const { request_uri: requestUri } = (await pushed.res.json()) as { request_uri: string };
  const redirect = await openAuthorize(pushed.base, { client_id: options.form?.client_id ?? CLIENT, request_uri: requestUri });
  if (redirect.status !== 303) throw new Error(`authorize: ${redirect.status} ${await redirect.text()}`);
  const location = new URL(redirect.headers.get('location')!);
  return { code: location.searchParams.get('code')!, location, ...pushed };
}

export async function codeTokenRequest(
  base: string,
  form: Record<string, string | undefined>,
  headers: Record<string, string> = {},
) {
  const body = new URLSearchParams(Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined)).toString();
  return fetch(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body,
  });
}

export async function dpopFor(key: Key, base: string, path = '/token') {
  return { DPoP: await dpopProof(key, { htu: `${base}${path}` }) };
}
