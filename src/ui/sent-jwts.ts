// The JWTs of a stored request: found where the wallet put them (headers, body), and resolved for
// the check records that refer to them (JwtRef: `header:dpop`, `body:proofs.jwt[0]#key_attestation`).
import { type DecodedJwt, decodeCompactJwt } from '../checks/jose-helpers.ts';
import type { JwtRef, RequestRecord } from '../domain/log.ts';
import { isRecord } from './format.ts';

const MAX_DEPTH = 4;
const MAX_TOKENS = 20;
const HEADER_LABELS: Record<string, string> = {
  dpop: 'DPoP proof (DPoP header)',
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

interface SentJwt {
  label: string;
  ref: JwtRef;
  jwt: DecodedJwt;
}

function walk(value: unknown, path: string, depth: number, found: SentJwt[]): void {
  if (found.length >= MAX_TOKENS || depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    const jwt = decodeCompactJwt(value);
    if (jwt) found.push({ label: labelFor(path), ref: `body:${path}`, jwt });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => {
      walk(item, `${path}[${i}]`, depth + 1, found);
    });
  } else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) walk(item, path ? `${path}.${key}` : key, depth + 1, found);
  }
}

/** Every JWT the wallet sent in this request, decoded, labelled by where it was. */
export function sentJwts(request: RequestRecord): SentJwt[] {
  const found: SentJwt[] = [];
  for (const [name, label] of Object.entries(HEADER_LABELS)) {
    const jwt = decodeCompactJwt(request.headers[name]);
    if (jwt) found.push({ label, ref: `header:${name}`, jwt });
  }
  walk(request.body, '', 0, found);
  return found;
}

/** The value at a path like `proofs.jwt[0]` in a parsed body. */
function at(value: unknown, path: string): unknown {
  return path
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== '')
    .reduce<unknown>(
      (node, key) => (isRecord(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined),
      value,
    );
}

/** The JWT a check record refers to, decoded; undefined when the request kept no such JWT. */
export function resolveJwt(request: RequestRecord | undefined, ref: JwtRef): DecodedJwt | undefined {
  if (!request) return undefined;
  const [place, rest = ''] = ref.split(/:(.*)/s, 2) as [string, string];
  const [path, inner] = rest.split('#', 2) as [string, string | undefined];
  const outer = decodeCompactJwt(place === 'header' ? request.headers[path] : at(request.body, path));
  if (!outer || inner === undefined) return outer;
  return decodeCompactJwt(outer.header[inner as keyof typeof outer.header]);
}
