import type { DiagnosticId } from '../diagnostics.ts';

/** What a check reports: a catalogue id plus what is specific to this input. */
export interface Finding {
  id: DiagnosticId;
  detail?: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; finding: Finding };

export const pass = <T>(value: T): Checked<T> => ({ ok: true, value });
export const fail = (id: DiagnosticId, detail?: string): { ok: false; finding: Finding } => ({
  ok: false,
  finding: detail === undefined ? { id } : { id, detail },
});
