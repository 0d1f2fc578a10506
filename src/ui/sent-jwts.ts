// JWTs a wallet sent in a request body or attestation headers, decoded for the 'received' log entry.
// (DPoP headers are already decoded by the request trail; those arrive in data.jwts.)
import { decodeCompactJwt } from '../checks/jose-helpers.ts';
import { decodeCredential } from '../formats/index.ts';
import { isCompactSdJwt } from '../formats/sd-jwt-vc/index.ts';
import { isRecord } from './format.ts';

const MAX_DEPTH = 4;
const MAX_TOKENS = 20;
const ATTESTATION_HEADERS: Record<string, string> = {
  'oauth-client-attestation': 'Wallet attestation (OAuth-Client-Attestation header)',
  'oauth-client-attestation-pop': 'Wallet attestation PoP (OAuth-Client-Attestation-PoP header)',
};

/** Names well-known places; anything else is labelled by its path in the body. */
function labelFor(path: string): string {
  const proof = /^proofs\.(jwt|attestation)\[(\d+)\]$/.exec(path);
  if (proof) return proof[1] === 'jwt' ? `Key proof ${proof[2]} (as sent)` : `Key attestation proof ${proof[2]} (as sent)`;
  if (path === 'proof.jwt') return 'Key proof (draft-13 proof member, as sent)';
  return `JWT in body at ${path}`;
}

/** A JWT, or an SD-JWT (the one format a wallet's request could carry that its syntax gives away). */
function decoded(value: string): Record<string, unknown> | undefined {
  const jwt = decodeCompactJwt(value);
  if (jwt) return { ...jwt };
  if (!isCompactSdJwt(value)) return undefined;
  const sdJwt = decodeCredential('dc+sd-jwt', value);
  return sdJwt.undecodable === undefined ? sdJwt : undefined;
}

function walk(value: unknown, path: string, depth: number, found: Array<Record<string, unknown>>): void {
  if (found.length >= MAX_TOKENS || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    const token = decoded(value);
    if (token) found.push({ label: labelFor(path), ...token });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, depth + 1, found));
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key, depth + 1, found);
  }
}

export function sentJwts(data: Record<string, unknown>): Array<Record<string, unknown>> {
  const found: Array<Record<string, unknown>> = [];
  const headers = isRecord(data.headers) ? data.headers : {};
  for (const [name, label] of Object.entries(ATTESTATION_HEADERS)) {
    const token = typeof headers[name] === 'string' ? decoded(headers[name]) : undefined;
    if (token) found.push({ label, ...token });
  }
  walk(data.body, '', 0, found);
  return found;
}
