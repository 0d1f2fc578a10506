// The conformance report of a session: every rule a check evaluated, its worst outcome, how often
// and where, plus the rules the session's profile expects that the wallet never reached.
import type { Outcome } from '../checks/finding.ts';
import { isRuleId, rule, type RuleId } from '../diagnostics/index.ts';
import type { Session } from '../domain/session.ts';
import type { EntryRules } from '../domain/log.ts';
import { expectedRules, profileOf } from '../issuance/profiles.ts';

export type ReportOutcome = Outcome | 'not_exercised';

export interface ReportRow {
  id: RuleId;
  title: string;
  outcome: ReportOutcome;
  count: number;
  first_at: number | null;
  last_at: number | null;
  spec_ref: string;
  log_entry_ids: number[];
}

export interface Report {
  session_id: string;
  profile: string;
  summary: Record<ReportOutcome, number>;
  rules: ReportRow[];
}

/** The entries listed per rule; a rule evaluated on every poll of a long session would otherwise list thousands. */
const MAX_ENTRY_IDS = 20;
const RANK: Record<ReportOutcome, number> = { fail: 0, warn: 1, pass: 2, not_exercised: 3 };

export function buildReport(session: Session, rows: readonly EntryRules[]): Report {
  const byRule = new Map<RuleId, ReportRow>();
  for (const entry of rows) {
    for (const f of entry.rules) {
      if (!isRuleId(f.rule)) continue;
      let row = byRule.get(f.rule);
      if (!row) {
        const r = rule(f.rule);
        row = { id: r.id, title: r.title, outcome: 'pass', count: 0, first_at: entry.created_at, last_at: entry.created_at, spec_ref: r.spec_ref, log_entry_ids: [] };
        byRule.set(f.rule, row);
      }
      row.count++;
      row.last_at = entry.created_at;
      if (RANK[f.outcome] < RANK[row.outcome]) row.outcome = f.outcome;
      if (row.log_entry_ids.at(-1) !== entry.id && row.log_entry_ids.length < MAX_ENTRY_IDS) row.log_entry_ids.push(entry.id);
    }
  }
  for (const id of expectedRules(session)) {
    if (byRule.has(id)) continue;
    const r = rule(id);
    byRule.set(id, { id, title: r.title, outcome: 'not_exercised', count: 0, first_at: null, last_at: null, spec_ref: r.spec_ref, log_entry_ids: [] });
  }
  const sorted = [...byRule.values()].sort((a, b) => RANK[a.outcome] - RANK[b.outcome] || a.id.localeCompare(b.id, 'en', { numeric: true }));
  const summary: Record<ReportOutcome, number> = { pass: 0, warn: 0, fail: 0, not_exercised: 0 };
  for (const row of sorted) summary[row.outcome]++;
  return { session_id: session.id, profile: profileOf(session.options).id, summary, rules: sorted };
}
