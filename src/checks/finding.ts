import { type DiagnosticId, type RuleId, ruleOf } from '../diagnostics/index.ts';

export type Outcome = 'pass' | 'warn' | 'fail';

/**
 * What a check says about one rule it evaluated: every check reports every rule it ran, passes
 * included, so the report and the log show what was verified, not only what went wrong. A warn or
 * fail names the catalogue entry that explains it (and, for a fail, answers the wallet).
 */
export interface Finding {
  rule: RuleId;
  outcome: Outcome;
  diagnostic?: DiagnosticId;
  detail?: string;
  data?: Record<string, unknown>;
}

export type Failure = Finding & { outcome: 'fail'; diagnostic: DiagnosticId };

/** A check's verdict: its value when nothing failed, else the failure; always the findings so far. */
export type Checked<T> = { ok: true; value: T; findings: Finding[] } | { ok: false; failure: Failure; findings: Finding[] };

function ruleFor(id: DiagnosticId): RuleId {
  const owner = ruleOf(id);
  if (owner === null) throw new Error(`diagnostic ${id} belongs to no checklist rule`);
  return owner;
}

export function failure(id: DiagnosticId, detail?: string): Failure {
  return { rule: ruleFor(id), outcome: 'fail', diagnostic: id, ...(detail === undefined ? {} : { detail }) };
}

/**
 * Collects a check's findings as it runs, so a check reads as its rules in order:
 * `f.pass('DPOP-02')`, `return f.fail('DPOP-03', detail)`, `return f.ok(value)`.
 */
export class Findings {
  readonly list: Finding[] = [];

  pass(...rules: RuleId[]): void {
    for (const rule of rules) this.list.push({ rule, outcome: 'pass' });
  }

  warn(id: DiagnosticId, detail?: string): void {
    this.list.push({ rule: ruleFor(id), outcome: 'warn', diagnostic: id, ...(detail === undefined ? {} : { detail }) });
  }

  add(findings: readonly Finding[]): void {
    this.list.push(...findings);
  }

  fail(id: DiagnosticId, detail?: string): { ok: false; failure: Failure; findings: Finding[] } {
    const f = failure(id, detail);
    return { ok: false, failure: f, findings: [...this.list, f] };
  }

  ok<T>(value: T): { ok: true; value: T; findings: Finding[] } {
    return { ok: true, value, findings: [...this.list] };
  }

  get warnings(): Finding[] {
    return this.list.filter((f) => f.outcome === 'warn');
  }
}
