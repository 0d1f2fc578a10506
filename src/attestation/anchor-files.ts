// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import type { JWK } from 'jose';
import { privateMembers } from '../checks/jose-helpers.ts';
import type { AnchorKind, TrustAnchor } from './trust.ts';

const KINDS: readonly AnchorKind[] = ['key_attestation', 'wallet_attestation'];
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

const commonName = (subject: string) => /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1] ?? subject;

/**
 * Loads file anchors from `dir/key_attestation/` and `dir/wallet_attestation/` (the subdirectory
 * names the kind): `*.pem` holds one or more certificates, `*.jwk` / `*.json` a JWK or a JWKS.
 * Files elsewhere and keys that do not parse are reported in `problems`, never trusted.
 */
export function loadAnchorsFromDirectory(dir: string): { anchors: TrustAnchor[]; problems: string[] } {
  const anchors: TrustAnchor[] = [];
  const problems: string[] = [];
  if (!existsSync(dir)) return { anchors, problems: [`${dir} does not exist`] };
  for (const name of readdirSync(dir).sort()) {
    if (!KINDS.includes(name as AnchorKind))
      problems.push(`${name}: ignored; put anchors in key_attestation/ or wallet_attestation/`);
  }
  for (const kind of KINDS) {
    const kindDir = join(dir, kind);
    if (!existsSync(kindDir) || !statSync(kindDir).isDirectory()) continue;
    for (const file of readdirSync(kindDir).sort()) {
      const path = join(kindDir, file);
      const where = `${kind}/${file}`;
      const add = (index: number, label: string, body: Pick<TrustAnchor, 'certificate' | 'jwk'>) =>
        anchors.push({ id: `file:${where}#${index}`, kind, label, source: 'file', test: false, session_id: null, ...body });
      try {
        if (file.endsWith('.pem')) {
          const blocks = readFileSync(path, 'utf8').match(PEM_CERTIFICATE) ?? [];
          if (blocks.length === 0) problems.push(`${where}: no CERTIFICATE block`);
          blocks.forEach((pem, i) => {
            add(i, commonName(new x509.X509Certificate(pem).subject), { certificate: pem });
          });
        } else if (file.endsWith('.jwk') || file.endsWith('.json')) {
          const parsed = JSON.parse(readFileSync(path, 'utf8')) as { keys?: JWK[] } & JWK;
          const keys = Array.isArray(parsed.keys) ? parsed.keys : [parsed];
          keys.forEach((jwk, i) => {
            if (typeof jwk?.kty !== 'string') problems.push(`${where}#${i}: not a JWK (kty missing)`);
            else if (privateMembers(jwk).length > 0) problems.push(`${where}#${i}: contains a private key, not loaded`);
            else add(i, jwk.kid ?? `${file}#${i}`, { jwk });
          });
        } else {
          problems.push(`${where}: ignored (expected .pem, .jwk or .json)`);
        }
      } catch (error) {
        problems.push(`${where}: ${(error as Error).message}`);
      }
    }
  }
  return { anchors, problems };
}
