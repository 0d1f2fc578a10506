// A JWS the wallet sent proves what it did, so the log keeps its header and payload (still decodable
// by any JWT decoder) but not its signature, which would let anyone replay it while it is valid.
const COMPACT_JWS = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

/** Stands where the signature was; base64url characters only, so the value still parses as a compact JWS. */
export const SIGNATURE_REMOVED = 'signature-removed';

/** `header.payload.signature-removed` for a compact JWS whose header is a JOSE header; any other string unchanged. */
export function dropJwtSignature(value: string): string {
  const parts = COMPACT_JWS.exec(value);
  if (!parts || parts[3] === SIGNATURE_REMOVED || !isJoseHeader(parts[1]!)) return value;
  return `${parts[1]}.${parts[2]}.${SIGNATURE_REMOVED}`;
}

function isJoseHeader(segment: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string';
  } catch {
    return false;
  }
}
