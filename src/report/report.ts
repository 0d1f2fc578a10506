// The conformance report of a session: every rule a check evaluated, its worst outcome, how often
// and where, plus the rules the session's profile expects that the wallet never reached.
import type { Outcome } from '../checks/finding.ts';
import { isRuleId, type RuleId, rule } from '../diagnostics/index.ts';
import type { RuleGroup } from '../domain/log.ts';
import type { Session } from '../domain/session.ts';
import { expectedRules, profileOf } from '../issuance/profiles.ts';
import type { Store } from '../store/index.ts';

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

/**
 * One row per rule over every group of entries: the worst outcome wins, and the entries listed are
 * the oldest ones where the rule had that outcome (for a failed rule, where it failed).
 */
export function buildReport(session: Session, groups: readonly RuleGroup[]): Report {
  const byRule = new Map<RuleId, ReportRow>();
  for (const group of groups) {
    // Within an entry a rule may run more than once (one proof passes, the next fails): the entry counts with its worst.
    const inGroup = new Map<RuleId, { outcome: Outcome; evaluations: number }>();
    for (const f of group.rules) {
      if (!isRuleId(f.rule)) continue;
      const seen = inGroup.get(f.rule);
      if (!seen) inGroup.set(f.rule, { outcome: f.outcome, evaluations: 1 });
      else {
        seen.evaluations++;
        if (RANK[f.outcome] < RANK[seen.outcome]) seen.outcome = f.outcome;
      }
    }
    for (const [id, { outcome, evaluations }] of inGroup) {
      let row = byRule.get(id);
      if (!row) {
        const r = rule(id);
        row = {
          id,
          title: r.title,
          outcome,
          count: 0,
          first_at: group.first_at,
          last_at: group.last_at,
          spec_ref: r.spec_ref,
          log_entry_ids: [],
        };
        byRule.set(id, row);
      }
      row.count += evaluations * group.count;
      row.first_at = Math.min(row.first_at!, group.first_at);
      row.last_at = Math.max(row.last_at!, group.last_at);
      if (RANK[outcome] < RANK[row.outcome]) {
        row.outcome = outcome;
        row.log_entry_ids = [];
      }
      if (outcome === row.outcome) row.log_entry_ids.push(...group.entry_ids);
    }
  }
  for (const row of byRule.values()) row.log_entry_ids = row.log_entry_ids.sort((a, b) => a - b).slice(0, MAX_ENTRY_IDS);
  for (const id of expectedRules(session)) {
    if (byRule.has(id)) continue;
    const r = rule(id);
    byRule.set(id, {
      id,
      title: r.title,
      outcome: 'not_exercised',
      count: 0,
      first_at: null,
      last_at: null,
      spec_ref: r.spec_ref,
      log_entry_ids: [],
    });
  }
  const sorted = [...byRule.values()].sort(
    (a, b) => RANK[a.outcome] - RANK[b.outcome] || a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
  const summary: Record<ReportOutcome, number> = { pass: 0, warn: 0, fail: 0, not_exercised: 0 };
  for (const row of sorted) summary[row.outcome]++;
  return { session_id: session.id, profile: profileOf(session.options).id, summary, rules: sorted };
}

/** The report of a session as the database holds it now. */
export async function sessionReport(store: Store, session: Session): Promise<Report> {
  return buildReport(session, await store.logs.ruleGroups(session.id, MAX_ENTRY_IDS));
}
