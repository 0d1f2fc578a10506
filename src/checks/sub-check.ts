import type { Checked, Failure, Finding, Findings } from './finding.ts';

// A check built from smaller checks reports their findings as its own, in order, and fails with
// the first failure among them (so the failure stays the last finding).

export type Rejection = Extract<Checked<unknown>, { ok: false }>;

/** Adds a single-rule finding to f; when it failed, the enclosing check's rejection. */
export function failedWith(f: Findings, finding: Finding): Rejection | undefined {
  if (finding.outcome !== 'fail') {
    f.add([finding]);
    return undefined;
  }
  if (finding.diagnostic === undefined) throw new Error(`failing finding for ${finding.rule} names no diagnostic`);
  const failure: Failure = { ...finding, outcome: 'fail', diagnostic: finding.diagnostic };
  return { ok: false, failure, findings: [...f.list, failure] };
}

/** Adds a sub-check's findings to f and returns its verdict carrying all findings so far. */
export function within<T>(f: Findings, sub: Checked<T>): Checked<T> {
  f.add(sub.findings);
  return sub.ok
    ? { ok: true, value: sub.value, findings: [...f.list] }
    : { ok: false, failure: sub.failure, findings: [...f.list] };
}
