// The conformance report as the session page and the printable summary show it.
import type { Report, ReportOutcome } from '../report/report.ts';
import { utc } from './format.ts';

export interface ReportView {
  profile: string;
  summary: Array<{ outcome: ReportOutcome; label: string; count: number }>;
  rows: Array<{
    id: string;
    title: string;
    outcome: ReportOutcome;
    outcomeLabel: string;
    count: number;
    firstAt: string;
    lastAt: string;
    specRef: string;
    ruleHref: string;
    entries: Array<{ href: string; label: string }>;
  }>;
  hrefs: { json: string; print: string };
}

const LABELS: Record<ReportOutcome, string> = { fail: 'fail', warn: 'warn', pass: 'pass', not_exercised: 'not exercised' };

export function reportView(
  report: Report,
  hrefs: { diagnostics: string; page: string; report: string; json: string },
): ReportView {
  return {
    profile: report.profile,
    summary: (['fail', 'warn', 'pass', 'not_exercised'] as const).map((outcome) => ({
      outcome,
      label: LABELS[outcome],
      count: report.summary[outcome],
    })),
    rows: report.rules.map((row) => ({
      id: row.id,
      title: row.title,
      outcome: row.outcome,
      outcomeLabel: LABELS[row.outcome],
      count: row.count,
      firstAt: row.first_at === null ? '' : utc(row.first_at),
      lastAt: row.last_at === null ? '' : utc(row.last_at),
      specRef: row.spec_ref,
      ruleHref: `${hrefs.diagnostics}#rule-${row.id}`,
      // Through the redirect to whichever page of the log holds the entry.
      entries: row.log_entry_ids.map((id) => ({ href: `${hrefs.page}/log/${id}`, label: `#${id}` })),
    })),
    hrefs: { json: hrefs.json, print: hrefs.report },
  };
}
