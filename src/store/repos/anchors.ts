import type { JWK } from 'jose';
import type { AnchorKind, TrustAnchor } from '../../attestation/trust.ts';
import { type Executor, json, parsed, sql } from '../sql.ts';

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

const toAnchor = (row: AnchorRow): TrustAnchor => ({
  id: row.id,
  kind: row.kind as AnchorKind,
  label: row.label,
  source: row.source as TrustAnchor['source'],
  ...(row.pem !== null ? { certificate: row.pem } : {}),
  ...(row.jwk !== null ? { jwk: parsed<JWK>(row.jwk) } : {}),
  session_id: row.session_id,
  test: row.test === 1,
});

const list = sql('SELECT * FROM trust_anchors WHERE kind = ? AND (session_id IS NULL OR session_id = ?) ORDER BY created_at, id');
const listAll = sql('SELECT * FROM trust_anchors ORDER BY created_at, id');
const byId = sql('SELECT * FROM trust_anchors WHERE id = ?');
const insert = sql(
  'INSERT INTO trust_anchors (id, kind, label, source, pem, jwk, session_id, test, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
);
const remove = sql('DELETE FROM trust_anchors WHERE id = ?');
// A jti is new, or its earlier use has left the window: only then does the upsert change a row.
const rememberJti = sql(
  `INSERT INTO client_attestation_pop_jtis (jti_hash, expires_at) VALUES (?, ?)
   ON CONFLICT (jti_hash) DO UPDATE SET expires_at = excluded.expires_at WHERE client_attestation_pop_jtis.expires_at < ?`,
);
const purgeJtis = sql(
  'DELETE FROM client_attestation_pop_jtis WHERE jti_hash IN (SELECT jti_hash FROM client_attestation_pop_jtis WHERE expires_at < ? LIMIT ?)',
);

/** Stored trust anchors (global from /trust and the API, or an offer's) and seen client attestation PoP jtis. */
export function anchorRepo(db: Executor) {
  return {
    /** The global anchors of this kind plus those of the session, oldest first. */
    async list(kind: AnchorKind, sessionId: string | null = null): Promise<TrustAnchor[]> {
      return (await db.all<AnchorRow>(list, [kind, sessionId])).map(toAnchor);
    },
    async listAll(): Promise<TrustAnchor[]> {
      return (await db.all<AnchorRow>(listAll)).map(toAnchor);
    },
    async get(id: string): Promise<TrustAnchor | undefined> {
      const row = await db.get<AnchorRow>(byId, [id]);
      return row && toAnchor(row);
    },
    async add(anchor: TrustAnchor, createdAt: number): Promise<TrustAnchor> {
      await db.run(insert, [
        anchor.id,
        anchor.kind,
        anchor.label,
        anchor.source,
        anchor.certificate ?? null,
        anchor.jwk ? json(anchor.jwk) : null,
        anchor.session_id ?? null,
        anchor.test ? 1 : 0,
        createdAt,
      ]);
      return { ...anchor, session_id: anchor.session_id ?? null };
    },
    async remove(id: string): Promise<boolean> {
      return (await db.run(remove, [id])) === 1;
    },
    /** WA-07: false when this jti hash was already seen and its window (expires_at) has not passed by `now`. */
    async rememberPopJti(jtiHash: string, expiresAt: number, now: number): Promise<boolean> {
      return (await db.run(rememberJti, [jtiHash, expiresAt, now])) === 1;
    },
    /** Deletes up to `limit` jtis whose window has passed; returns how many. */
    purgeExpiredPopJtis(now: number, limit: number): Promise<number> {
      return db.run(purgeJtis, [now, limit]);
    },
  };
}
