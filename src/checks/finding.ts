import type { DiagnosticId } from '../diagnostics.ts';

/** What a check reports: a catalogue id plus what is specific to this input. */
export interface Finding {
  id: DiagnosticId;
  detail?: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; finding: Finding };

/** What the console shows beside a decoded JWT: the rules that ran on it and how each went. */
export interface CheckOutcome {
  rule: string;
  outcome: 'pass' | 'fail' | 'warn';
  detail?: string;
}

export const passed = (...rules: string[]): CheckOutcome[] => rules.map((rule) => ({ rule, outcome: 'pass' }));

export const pass = <T>(value: T): Checked<T> => ({ ok: true, value });
export const fail = (id: DiagnosticId, detail?: string): { ok: false; finding: Finding } => ({
  ok: false,
  finding: detail === undefined ? { id } : { id, detail },
});
