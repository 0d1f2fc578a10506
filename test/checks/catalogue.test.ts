// The diagnostics catalogue: every entry is complete, well-formed and traceable to a rule in
// shared/spec-notes.md (which CI keeps beside the repo; the traceability test skips without it).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { catalogue, type DiagnosticId, diagnostic, isRuleId, rules } from '../../src/diagnostics/index.ts';

const SPEC_NOTES = fileURLToPath(new URL('../../../shared/spec-notes.md', import.meta.url));

describe('diagnostics catalogue', () => {
  it('is not empty', () => assert.ok(catalogue.length > 0));

  for (const entry of catalogue) {
    it(`${entry.id}: reason, help, spec_ref, title non-empty; status 4xx/5xx; error [a-z_]`, () => {
      for (const field of ['title', 'reason', 'help', 'spec_ref', 'rule'] as const) {
        assert.equal(typeof entry[field], 'string', field);
        assert.ok(entry[field].trim().length > 0, `${field} is empty`);
      }
      assert.ok(Number.isInteger(entry.status) && entry.status >= 400 && entry.status <= 599, `status ${entry.status}`);
      assert.match(entry.error, /^[a-z_]+$/);
      assert.deepEqual(diagnostic(entry.id as DiagnosticId), entry);
    });
  }

  it('every diagnostic belongs to a rule of the rule table, or to none ("-")', () => {
    assert.deepEqual(
      catalogue.filter((d) => d.rule !== '-' && !isRuleId(d.rule)).map((d) => `${d.id} → ${d.rule}`),
      [],
    );
  });

  it('every rule has a title and a spec_ref', () => {
    for (const r of rules) assert.ok(r.title.trim() && r.spec_ref.trim(), r.id);
  });

  it('ids are unique', () => {
    const ids = catalogue.map((e) => e.id);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
    );
  });

  it('every rule id other than "-" is a rule of shared/spec-notes.md', (t) => {
    if (!existsSync(SPEC_NOTES)) {
      t.skip(`${SPEC_NOTES} not found`);
      return;
    }
    const notes = readFileSync(SPEC_NOTES, 'utf8');
    // A rule is defined where its id opens a table row: "| DPOP-08 | ...".
    const defined = new Set([...notes.matchAll(/^\|\s*([A-Z0-9]+(?:-[A-Z0-9]+)+)\s*[|*]/gm)].map((m) => m[1]));
    const missing = [
      ...new Set(
        [...catalogue.map((e) => e.rule), ...rules.map((r) => r.id)].filter((rule) => rule !== '-' && !defined.has(rule)),
      ),
    ];
    assert.deepEqual(missing, []);
  });
});
