import { createHash, timingSafeEqual } from 'node:crypto';
import { type Finding, failure } from './finding.ts';

// PKCE (RFC 7636) as FAPI 2.0 SP Section 5.3.2.2-5 and HAIP demand it: S256 only.

export const PKCE_METHOD = 'S256';
// RFC 7636 Section 4.1: code-verifier = 43*128unreserved.
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SHA256_BYTES = 32;

/** RFC 7636 Section 4.2: BASE64URL-ENCODE(SHA256(ASCII(code_verifier))). */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The unpadded base64url of a SHA-256 digest, canonically encoded: an S256 challenge, or an RFC 7638 thumbprint. */
export function isBase64urlSha256(value: string): boolean {
  if (!BASE64URL.test(value)) return false;
  const bytes = Buffer.from(value, 'base64url');
  // Re-encoding catches lengths and trailing bits that no 32-byte digest produces.
  return bytes.length === SHA256_BYTES && bytes.toString('base64url') === value;
}

/** A short hint for a challenge that cannot be an S256 value, naming the encoding mistake it looks like. */
function challengeProblem(challenge: string): string | undefined {
  if (/^[0-9a-f]{64}$/i.test(challenge)) return 'it looks like a hex digest; base64url-encode the 32 raw bytes instead';
  if (challenge.endsWith('=')) return 'it carries base64 padding; drop the trailing =';
  if (/[+/]/.test(challenge)) return 'it uses standard base64 (+ or /); use base64url (- and _)';
  if (!BASE64URL.test(challenge)) return 'it contains characters outside A-Z a-z 0-9 - _';
  if (!isBase64urlSha256(challenge))
    return `${challenge.length} characters; an S256 challenge has exactly 43 and encodes 32 bytes`;
  return undefined;
}

/** PAR-05: code_challenge present and an S256 value; code_challenge_method present and S256 (plain, the default, refused). */
export function checkCodeChallenge(challenge: string | undefined, method: string | undefined): Finding {
  if (challenge === undefined) return failure('PAR-05.missing');
  if (method === undefined) return failure('PAR-05.method_missing', 'without code_challenge_method the method would be plain');
  if (method === 'plain') return failure('PAR-05.plain');
  if (method !== PKCE_METHOD) return failure('PAR-05.method', `code_challenge_method is "${method}"`);
  const problem = challengeProblem(challenge);
  if (problem) return failure('PAR-05.syntax', problem);
  return { rule: 'PAR-05', outcome: 'pass' };
}

/** TOK-11: the code_verifier of the token request against the S256 challenge stored from PAR (RFC 7636 Section 4.6). */
export function checkCodeVerifier(verifier: string | undefined, storedChallenge: string): Finding {
  if (verifier === undefined) return failure('TOK-11.missing');
  if (!VERIFIER.test(verifier)) {
    const detail =
      verifier.length < 43 || verifier.length > 128
        ? `${verifier.length} characters, 43 to 128 allowed`
        : 'characters outside A-Z a-z 0-9 - . _ ~';
    return failure('TOK-11.syntax', detail);
  }
  const computed = Buffer.from(s256Challenge(verifier));
  const stored = Buffer.from(storedChallenge);
  if (computed.length !== stored.length || !timingSafeEqual(computed, stored)) return failure('TOK-11.mismatch');
  return { rule: 'TOK-11', outcome: 'pass' };
}
