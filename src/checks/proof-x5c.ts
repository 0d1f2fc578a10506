import { X509Certificate } from 'node:crypto';
import type { JWK } from 'jose';
import { type Checked, Findings } from './finding.ts';

// A key proof whose holder key comes as x5c (OID4VCI 1.0 Appendix F.1: the first certificate holds
// the key the credential is bound to). Holder keys need no trust anchor, so nothing here decides
// trust: a certificate outside its validity or a broken chain is reported, the key still used.

export interface X5cProofKey {
  jwk: JWK;
  /** The leaf subject, for the log. */
  subject: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function proofKeyFromX5c(x5c: unknown, nowMs: number): Checked<X5cProofKey> {
  const f = new Findings();
  if (!Array.isArray(x5c) || x5c.length === 0) return f.fail('PRF-03.x5c_malformed', 'x5c is not a non-empty array');
  const certificates: X509Certificate[] = [];
  for (const [i, entry] of x5c.entries()) {
    // RFC 7515 Section 4.1.6: standard base64 of DER; PEM armour or base64url is a wallet bug.
    if (typeof entry !== 'string' || !BASE64.test(entry))
      return f.fail('PRF-03.x5c_malformed', `x5c[${i}] is not standard base64`);
    try {
      certificates.push(new X509Certificate(Buffer.from(entry, 'base64')));
    } catch (error) {
      return f.fail('PRF-03.x5c_malformed', `x5c[${i}] is not a DER X.509 certificate: ${(error as Error).message}`);
    }
  }
  const leaf = certificates[0]!;
  const now = new Date(nowMs);
  const [from, to] = [new Date(leaf.validFrom), new Date(leaf.validTo)];
  if (now < from || now > to)
    f.warn(
      'PRF-03.x5c_validity',
      `x5c[0] ${leaf.subject} is valid ${from.toISOString()} to ${to.toISOString()}, not at ${now.toISOString()}`,
    );
  for (let i = 0; i + 1 < certificates.length; i++) {
    const [child, parent] = [certificates[i]!, certificates[i + 1]!];
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      f.warn('PRF-03.x5c_chain', `x5c[${i}] ${child.subject} is not issued and signed by x5c[${i + 1}] ${parent.subject}`);
      break;
    }
  }
  if (f.warnings.length === 0) f.pass('PRF-03');
  return f.ok({ jwk: leaf.publicKey.export({ format: 'jwk' }) as JWK, subject: leaf.subject });
}
