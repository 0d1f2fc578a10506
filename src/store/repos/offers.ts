import type { OfferRecord } from '../../domain/issuance.ts';
import { type Executor, json, parsed, sql } from '../sql.ts';

type OfferRow = Omit<OfferRecord, 'credential_offer'> & { credential_offer: string };

const toOffer = (row: OfferRow): OfferRecord => ({
  ...row,
  credential_offer: parsed<Record<string, unknown>>(row.credential_offer),
});

const insert = sql('INSERT INTO offers (id, session_id, credential_offer, created_at) VALUES (?, ?, ?, ?)');
const byId = sql('SELECT * FROM offers WHERE id = ?');
const firstForSession = sql('SELECT * FROM offers WHERE session_id = ? ORDER BY created_at LIMIT 1');
const markRetrieved = sql('UPDATE offers SET retrieved_at = coalesce(retrieved_at, ?) WHERE id = ?');

export function offerRepo(db: Executor) {
  return {
    async insert(offer: Omit<OfferRecord, 'retrieved_at'>): Promise<void> {
      await db.run(insert, [offer.id, offer.session_id, json(offer.credential_offer), offer.created_at]);
    },
    async get(id: string): Promise<OfferRecord | undefined> {
      const row = await db.get<OfferRow>(byId, [id]);
      return row && toOffer(row);
    },
    async forSession(sessionId: string): Promise<OfferRecord | undefined> {
      const row = await db.get<OfferRow>(firstForSession, [sessionId]);
      return row && toOffer(row);
    },
    async markRetrieved(id: string, now: number): Promise<void> {
      await db.run(markRetrieved, [now, id]);
    },
  };
}
