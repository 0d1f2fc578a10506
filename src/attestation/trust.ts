// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import { createPublicKey, type JsonWebKey, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';

x509.cryptoProvider.set(webcrypto as Crypto);

/**
 * Trust anchors for attestation signers, and HAIP chain validation (Sections 4.4.1, 4.5.1):
 * the signing key travels in x5c, the leaf is not self-signed, no anchor is inside x5c, and
 * the last x5c certificate is signed by an anchor.
 *
 * An anchor is a certificate (PEM) or a bare public key (JWK). A JWK anchor acts in two ways:
 * - as an RFC 5280 Section 6.1.1(d) trust anchor given as key only: the last x5c certificate
 *   must be signed by it;
 * - for attestations without x5c (VCI Appendix D.1 allows kid/jwk; HAIP does not): the header
 *   jwk, or a kid equal to the anchor's kid or RFC 7638 thumbprint, is the anchor key itself
 *   (trustHeaderKey). The checks accept that with a warning, or reject it in strict mode.
 */

export type AnchorKind = 'key_attestation' | 'wallet_attestation';
export type AnchorSource = 'builtin' | 'file' | 'api' | 'offer';

export interface TrustAnchor {
  id: string;
  kind: AnchorKind;
  label: string;
  source: AnchorSource;
  /** One X.509 certificate, PEM. */
  certificate?: string;
  /** A public JWK. */
  jwk?: JWK;
  /** Offer anchors belong to one session; null or absent means global. */
  session_id?: string | null;
  /** Built-in test trust: labelled as such in every log line. */
  test: boolean;
}

export type ChainFailure = 'x5c_malformed' | 'self_signed' | 'anchor_in_x5c' | 'certificate_validity' | 'chain' | 'untrusted';

export type TrustResult =
  | { ok: true; anchor: TrustAnchor; leafKey: CryptoKey; leafJwk: JWK; steps: string[] }
  | { ok: false; code: ChainFailure; reason: string; steps: string[] };

export function describeAnchor(anchor: TrustAnchor): string {
  const scope = anchor.session_id ? `, session ${anchor.session_id}` : '';
  return `'${anchor.label}' (${anchor.source}${scope}${anchor.test ? ', TEST TRUST' : ''})`;
}

const dn = (cert: x509.X509Certificate) => cert.subject || '(empty subject)';
const day = (date: Date) => date.toISOString().slice(0, 10);
const spki = (cert: x509.X509Certificate) => Buffer.from(cert.publicKey.rawData);
const jwkSpki = (jwk: JWK) => createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'der' });
const spkiJwk = (der: Buffer) => createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'jwk' }) as JWK;

/** The anchor's public key as SPKI DER, or undefined when the anchor is unusable. */
function anchorSpki(anchor: TrustAnchor): Buffer | undefined {
  try {
    if (anchor.certificate) return spki(new x509.X509Certificate(anchor.certificate));
    if (anchor.jwk) return jwkSpki(anchor.jwk);
  } catch {
    return undefined;
  }
  return undefined;
}

function parseX5c(x5c: unknown): x509.X509Certificate[] | string {
  if (!Array.isArray(x5c) || x5c.length === 0) return 'x5c is not a non-empty array';
  const certs: x509.X509Certificate[] = [];
  for (const [i, entry] of x5c.entries()) {
    // RFC 7515 Section 4.1.6: standard base64 of DER; PEM armour or base64url is a wallet bug.
    if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) return `x5c[${i}] is not base64 DER`;
    try {
      certs.push(new x509.X509Certificate(Buffer.from(entry, 'base64')));
    } catch (error) {
      return `x5c[${i}] is not an X.509 certificate: ${(error as Error).message}`;
    }
  }
  return certs;
}

async function signedBy(cert: x509.X509Certificate, issuerSpki: Buffer): Promise<boolean> {
  try {
    return await cert.verify({ publicKey: new Uint8Array(issuerSpki), signatureOnly: true });
  } catch {
    return false;
  }
}

/** Validates an x5c chain against anchors at nowMs; `steps` logs every attempt for the tester. */
export async function validateChain(x5c: unknown, anchors: readonly TrustAnchor[], nowMs: number): Promise<TrustResult> {
  const steps: string[] = [];
  const fail = (code: ChainFailure, reason: string): TrustResult => {
    steps.push(`✗ ${reason}`);
    return { ok: false, code, reason, steps };
  };
  const certs = parseX5c(x5c);
  if (typeof certs === 'string') return fail('x5c_malformed', certs);
  const now = new Date(nowMs);
  certs.forEach((c, i) => {
    steps.push(`x5c[${i}] ${dn(c)} issued by ${c.issuer}, valid ${day(c.notBefore)} to ${day(c.notAfter)}`);
  });

  const leaf = certs[0]!;
  if (await leaf.isSelfSigned())
    return fail('self_signed', `leaf ${dn(leaf)} is self-signed (HAIP: the signing certificate must be CA-issued)`);

  const usable = anchors.map((anchor) => ({ anchor, key: anchorSpki(anchor) }));
  for (const [i, cert] of certs.entries()) {
    const inside = usable.find(({ key }) => key?.equals(spki(cert)));
    if (inside)
      return fail(
        'anchor_in_x5c',
        `x5c[${i}] ${dn(cert)} is trust anchor ${describeAnchor(inside.anchor)}; anchors must not be sent in x5c`,
      );
    if (cert.notBefore > now || cert.notAfter < now) {
      return fail(
        'certificate_validity',
        `x5c[${i}] ${dn(cert)} is valid ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}, not at ${now.toISOString()}`,
      );
    }
  }
  for (let i = 0; i + 1 < certs.length; i++) {
    const [child, parent] = [certs[i]!, certs[i + 1]!];
    if (child.issuer !== parent.subject)
      return fail('chain', `x5c[${i}] is issued by ${child.issuer}, but x5c[${i + 1}] is ${dn(parent)}`);
    if (!parent.getExtension(x509.BasicConstraintsExtension)?.ca)
      return fail('chain', `x5c[${i + 1}] ${dn(parent)} is not a CA (basicConstraints cA is not true)`);
    if (!(await signedBy(child, spki(parent))))
      return fail('chain', `x5c[${i}] ${dn(child)} is not signed by x5c[${i + 1}] ${dn(parent)}`);
    steps.push(`x5c[${i}] is signed by x5c[${i + 1}]`);
  }

  const last = certs[certs.length - 1]!;
  const link = `${certs.length > 1 ? `x5c[${certs.length - 1}] ` : 'leaf '}${dn(last)} issued by ${last.issuer}`;
  if (usable.length === 0) return fail('untrusted', `no trust anchors of this kind are configured for ${link}`);
  for (const { anchor, key } of usable) {
    if (!key) {
      steps.push(`anchor ${describeAnchor(anchor)} is unusable (its certificate or JWK does not parse), skipped`);
      continue;
    }
    if (anchor.certificate) {
      const cert = new x509.X509Certificate(anchor.certificate);
      if (cert.notBefore > now || cert.notAfter < now) {
        steps.push(
          `anchor ${describeAnchor(anchor)} is outside its validity (${day(cert.notBefore)} to ${day(cert.notAfter)}), skipped`,
        );
        continue;
      }
    }
    if (await signedBy(last, key)) {
      steps.push(`✓ ${link} → chained to anchor ${describeAnchor(anchor)}`);
      const leafKey = await leaf.publicKey.export();
      return { ok: true, anchor, leafKey, leafJwk: spkiJwk(spki(leaf)), steps };
    }
    steps.push(`${link} → not signed by anchor ${describeAnchor(anchor)}`);
  }
  return fail('untrusted', `${link} is not signed by any of ${usable.length} trust anchor(s)`);
}

/** For attestations without x5c: the header jwk, or a kid naming a JWK anchor, must be that anchor. */
export async function trustHeaderKey(
  header: { kid?: unknown; jwk?: unknown },
  anchors: readonly TrustAnchor[],
): Promise<TrustResult> {
  const steps = [`no x5c; looking for a JWK anchor matching the ${header.jwk ? 'jwk' : 'kid'} header`];
  const wanted =
    typeof header.jwk === 'object' && header.jwk
      ? await calculateJwkThumbprint(header.jwk as JWK).catch(() => undefined)
      : undefined;
  for (const anchor of anchors) {
    if (!anchor.jwk) continue;
    const thumbprint = await calculateJwkThumbprint(anchor.jwk).catch(() => undefined);
    const matches =
      wanted !== undefined
        ? wanted === thumbprint
        : typeof header.kid === 'string' && (header.kid === anchor.jwk.kid || header.kid === thumbprint);
    if (!matches) continue;
    steps.push(`✓ signing key is JWK anchor ${describeAnchor(anchor)}`);
    const leafJwk = spkiJwk(jwkSpki(anchor.jwk));
    const leafKey = await new x509.PublicKey(new Uint8Array(jwkSpki(anchor.jwk))).export();
    return { ok: true, anchor, leafKey, leafJwk, steps };
  }
  const reason = 'no JWK trust anchor matches the signing key';
  steps.push(`✗ ${reason}`);
  return { ok: false, code: 'untrusted', reason, steps };
}

export type SignerFailure = ChainFailure | 'x5c_missing' | 'signature';

export type SignerResult =
  | { ok: true; anchor: TrustAnchor; viaBareKey: boolean; steps: string[] }
  | { ok: false; code: SignerFailure; reason: string; steps: string[] };

/**
 * An attestation JWS is trusted when its x5c chains to an anchor (or, without x5c, when its
 * kid/jwk is a JWK anchor: viaBareKey) and its signature verifies with that key.
 */
export async function verifyAttestationSigner(
  jwt: string,
  header: { alg?: unknown; x5c?: unknown; kid?: unknown; jwk?: unknown },
  anchors: readonly TrustAnchor[],
  nowMs: number,
): Promise<SignerResult> {
  const viaBareKey = header.x5c === undefined;
  if (viaBareKey && header.kid === undefined && header.jwk === undefined) {
    return { ok: false, code: 'x5c_missing', reason: 'no x5c header (nor kid or jwk)', steps: ['✗ no x5c header'] };
  }
  const trust = viaBareKey ? await trustHeaderKey(header, anchors) : await validateChain(header.x5c, anchors, nowMs);
  if (!trust.ok) {
    // Without x5c and without a matching JWK anchor, the HAIP requirement is the useful message.
    return viaBareKey ? { ok: false, code: 'x5c_missing', reason: `no x5c; ${trust.reason}`, steps: trust.steps } : trust;
  }
  try {
    await compactVerify(jwt, await importJWK(trust.leafJwk, header.alg as string));
  } catch (error) {
    const reason = `signature does not verify with the ${viaBareKey ? 'anchor key' : 'x5c leaf key'}: ${(error as Error).message}`;
    return { ok: false, code: 'signature', reason, steps: [...trust.steps, `✗ ${reason}`] };
  }
  return { ok: true, anchor: trust.anchor, viaBareKey, steps: [...trust.steps, '✓ signature verifies'] };
}
