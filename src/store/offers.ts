import type { Db } from './database.ts';

export interface OfferRecord {
  id: string;
  session_id: string;
  credential_offer: Record<string, unknown>;
  created_at: number;
  retrieved_at: number | null;
}

interface OfferRow extends Omit<OfferRecord, 'credential_offer'> {
  credential_offer: string;
}

export function offerRepo(db: Db) {
  const insert = db.prepare('INSERT INTO offers (id, session_id, credential_offer, created_at) VALUES (?, ?, ?, ?)');
  const byId = db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE id = ?');
  const firstForSession = db.prepare<[string], OfferRow>('SELECT * FROM offers WHERE session_id = ? ORDER BY created_at LIMIT 1');
  const markRetrieved = db.prepare('UPDATE offers SET retrieved_at = coalesce(retrieved_at, ?) WHERE id = ?');
  return {
    insert(offer: Omit<OfferRecord, 'retrieved_at'>): void {
      insert.run(offer.id, offer.session_id, JSON.stringify(offer.credential_offer), offer.created_at);
    },
    get(id: string): OfferRecord | undefined {
      const row = byId.get(id);
      return row && { ...row, credential_offer: JSON.parse(row.credential_offer) as Record<string, unknown> };
    },
    forSession(sessionId: string): OfferRecord | undefined {
      const row = firstForSession.get(sessionId);
      return row && { ...row, credential_offer: JSON.parse(row.credential_offer) as Record<string, unknown> };
    },
    markRetrieved(id: string, now: number): void {
      markRetrieved.run(now, id);
    },
  };
}
