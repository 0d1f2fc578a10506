// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { JWK } from 'jose';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/database.ts';
import { privateMembers } from '../checks/jose-helpers.ts';
import type { AnchorKind, TrustAnchor } from './trust.ts';

interface AnchorRow {
  id: string;
  kind: string;
  label: string;
  source: string;
  pem: string | null;
  jwk: string | null;
  session_id: string | null;
  test: number;
  created_at: number;
}

export interface TestAttesterKeyRow {
  id: string;
  ca_pem: string;
  ca_private_jwk: string;
  leaf_pem: string;
  leaf_private_jwk: string;
  created_at: number;
}

function toAnchor(row: AnchorRow): TrustAnchor {
  return {
    id: row.id,
    kind: row.kind as AnchorKind,
    label: row.label,
    source: row.source as TrustAnchor['source'],
    ...(row.pem !== null ? { certificate: row.pem } : {}),
    ...(row.jwk !== null ? { jwk: JSON.parse(row.jwk) as JWK } : {}),
    session_id: row.session_id,
    test: row.test === 1,
  };
}

/** Stored trust anchors, the test attester keys and seen client attestation PoP jtis. */
export function anchorRepo(db: Db) {
  const list = db.prepare<[string, string | null], AnchorRow>(
    'SELECT * FROM trust_anchors WHERE kind = ? AND (session_id IS NULL OR session_id = ?) ORDER BY created_at, id',
  );
  const listAll = db.prepare<[], AnchorRow>('SELECT * FROM trust_anchors ORDER BY created_at, id');
  const byId = db.prepare<[string], AnchorRow>('SELECT * FROM trust_anchors WHERE id = ?');
  const insert = db.prepare(
    `INSERT INTO trust_anchors (id, kind, label, source, pem, jwk, session_id, test, created_at)
     VALUES (@id, @kind, @label, @source, @pem, @jwk, @session_id, @test, @created_at)`,
  );
  const remove = db.prepare('DELETE FROM trust_anchors WHERE id = ?');
  // A jti is new, or its earlier use has left the window: only then does the upsert change a row.
  const rememberJti = db.prepare(
    `INSERT INTO client_attestation_pop_jtis (jti_hash, expires_at) VALUES (?, ?)
     ON CONFLICT (jti_hash) DO UPDATE SET expires_at = excluded.expires_at WHERE client_attestation_pop_jtis.expires_at < ?`,
  );
  const purgeJtis = db.prepare('DELETE FROM client_attestation_pop_jtis WHERE expires_at < ?');
  const attesterKeys = db.prepare<[], TestAttesterKeyRow>('SELECT * FROM test_attester_keys ORDER BY created_at LIMIT 1');
  const insertAttesterKeys = db.prepare(
    `INSERT INTO test_attester_keys (id, ca_pem, ca_private_jwk, leaf_pem, leaf_private_jwk, created_at)
     VALUES (@id, @ca_pem, @ca_private_jwk, @leaf_pem, @leaf_private_jwk, @created_at)`,
  );

  return {
    /** The global anchors of this kind plus those of the session, oldest first. */
    list(kind: AnchorKind, sessionId: string | null = null): TrustAnchor[] {
      return list.all(kind, sessionId).map(toAnchor);
    },
    listAll(): TrustAnchor[] {
      return listAll.all().map(toAnchor);
    },
    get(id: string): TrustAnchor | undefined {
      const row = byId.get(id);
      return row && toAnchor(row);
    },
    add(anchor: TrustAnchor, createdAt: number): TrustAnchor {
      insert.run({
        id: anchor.id,
        kind: anchor.kind,
        label: anchor.label,
        source: anchor.source,
        pem: anchor.certificate ?? null,
        jwk: anchor.jwk ? JSON.stringify(anchor.jwk) : null,
        session_id: anchor.session_id ?? null,
        test: anchor.test ? 1 : 0,
        created_at: createdAt,
      });
      return toAnchor(byId.get(anchor.id)!);
    },
    remove(id: string): boolean {
      return remove.run(id).changes === 1;
    },
    /** WA-07: false when this jti hash was already seen and its window (expires_at) has not passed by `now`. */
    rememberPopJti(jtiHash: string, expiresAt: number, now: number = Number.NEGATIVE_INFINITY): boolean {
      return rememberJti.run(jtiHash, expiresAt, now).changes === 1;
    },
    purgeExpiredPopJtis(now: number): void {
      purgeJtis.run(now);
    },
    testAttesterKeys(): TestAttesterKeyRow | undefined {
      return attesterKeys.get();
    },
    insertTestAttesterKeys(row: TestAttesterKeyRow): void {
      insertAttesterKeys.run(row);
    },
  };
}

export type AnchorRepo = ReturnType<typeof anchorRepo>;

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
    if (!KINDS.includes(name as AnchorKind)) problems.push(`${name}: ignored; put anchors in key_attestation/ or wallet_attestation/`);
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
          blocks.forEach((pem, i) => add(i, commonName(new x509.X509Certificate(pem).subject), { certificate: pem }));
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
