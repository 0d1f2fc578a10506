// Shared by the authorization code flow tests: single-rule checks return a Finding; seen as a
// Checked verdict it goes through the same assertFinding as multi-rule checks.
import assert from 'node:assert/strict';
import type { Checked, Failure, Finding } from '../../src/checks/finding.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';

export function asChecked(finding: Finding): Checked<Finding> {
  return finding.outcome === 'fail'
    ? { ok: false, failure: finding as Failure, findings: [finding] }
    : { ok: true, value: finding, findings: [finding] };
}

/** The verdict carries a warning with this diagnostic. */
export function assertWarning(result: Checked<unknown>, id: DiagnosticId): void {
  const warnings = result.findings.filter((f) => f.outcome === 'warn').map((f) => f.diagnostic);
  assert.ok(warnings.includes(id), `expected warning ${id}, got ${warnings.join(', ') || 'none'}`);
}
