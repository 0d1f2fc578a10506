// The Supply Claims form's fields, generated from the claim inputs of the configuration's format, and
// the submitted form read back into claims typed by those inputs.
import { claimProblem } from '../checks/claims.ts';
import type { Problem } from '../checks/offer-request.ts';
import type { ClaimInput } from '../formats/format.ts';

export interface ClaimField {
  name: string;
  label: string;
  control: 'input' | 'checkbox' | 'textarea';
  /** The <input> type of control 'input'. */
  inputType: 'text' | 'date' | 'number';
  /** The step of number inputs: 1 for integers. */
  step: 'any' | '1' | null;
  required: boolean;
  value: string;
  checked: boolean;
  hint?: string;
  error?: string;
  /** Images: a checkbox that issues the configuration's sample instead of the text. */
  sample?: { name: string; checked: boolean };
}

// Each segment URI-encoded with its dots escaped, so that names of mdoc namespaces
// ("org.iso.18013.5.1") stay one segment and every path has its own field name.
const segment = (part: string) => encodeURIComponent(part).replaceAll('.', '%2E');
export const fieldName = (path: readonly string[]) => `claim.${path.map(segment).join('.')}`;
const sampleFieldName = (path: readonly string[]) => `sample.${path.map(segment).join('.')}`;

/** Whether a problem is about the claim at `path` or inside it. */
export const isUnder = (problem: Problem, path: readonly string[]): boolean =>
  problem.claim_path !== undefined && path.every((part, i) => problem.claim_path![i] === part);

function valueAt(claims: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
    claims,
  );
}

function textOf(input: ClaimInput, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (input.kind === 'list' && Array.isArray(value)) return value.join(', ');
  if (input.kind === 'json' || (typeof value === 'object' && value !== null)) return JSON.stringify(value, null, 2);
  return String(value);
}

const CONTROLS: Record<ClaimInput['kind'], Pick<ClaimField, 'control' | 'inputType' | 'step'>> = {
  text: { control: 'input', inputType: 'text', step: null },
  list: { control: 'input', inputType: 'text', step: null },
  date: { control: 'input', inputType: 'date', step: null },
  number: { control: 'input', inputType: 'number', step: 'any' },
  integer: { control: 'input', inputType: 'number', step: '1' },
  checkbox: { control: 'checkbox', inputType: 'text', step: null },
  json: { control: 'textarea', inputType: 'text', step: null },
  image: { control: 'textarea', inputType: 'text', step: null },
};

/**
 * One field per claim input, showing `claims`, or what was submitted (`body`) when a submission is
 * shown again. A problem belongs to the field whose path starts its claim path.
 */
export function claimField(
  input: ClaimInput,
  shown: { claims: Record<string, unknown>; sample: Record<string, unknown>; body?: Record<string, unknown> },
  problems: Problem[],
): ClaimField {
  const name = fieldName(input.path);
  const raw = shown.body?.[name];
  const current = valueAt(shown.claims, input.path);
  const sampleValue = input.kind === 'image' ? valueAt(shown.sample, input.path) : undefined;
  const usesSample = shown.body
    ? shown.body[sampleFieldName(input.path)] !== undefined
    : current !== undefined && current === sampleValue;
  const errors = problems
    .filter((p) => isUnder(p, input.path))
    .map((p) => {
      const rest = p.claim_path!.slice(input.path.length);
      return rest.length > 0 ? `${rest.join('.')}: ${p.message}` : p.message;
    });
  return {
    name,
    label: input.label,
    ...CONTROLS[input.kind],
    required: input.mandatory && input.kind !== 'checkbox' && input.kind !== 'image',
    value: shown.body ? (typeof raw === 'string' ? raw : '') : usesSample ? '' : textOf(input, current),
    checked: input.kind === 'checkbox' && (shown.body ? raw !== undefined : current === true),
    ...(input.hint ? { hint: input.hint } : {}),
    ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
    ...(sampleValue !== undefined ? { sample: { name: sampleFieldName(input.path), checked: usesSample } } : {}),
  };
}

/** The value a field stands for; undefined leaves the claim out. */
function fieldValue(input: ClaimInput, body: Record<string, unknown>, sample: Record<string, unknown>) {
  const raw = body[fieldName(input.path)];
  const text = typeof raw === 'string' ? raw.trim() : '';
  switch (input.kind) {
    case 'checkbox':
      return raw !== undefined;
    case 'image':
      if (body[sampleFieldName(input.path)] !== undefined) return valueAt(sample, input.path);
      // Pasted base64 often comes with line breaks.
      return text === '' ? undefined : text.replace(/\s+/g, '');
    case 'number':
    case 'integer':
      // A non-number stays text, so that validation names the field.
      return text === '' ? undefined : Number.isNaN(Number(text)) ? text : Number(text);
    case 'list':
      return text === ''
        ? undefined
        : text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean);
    case 'json':
      return text === '' ? undefined : (JSON.parse(text) as unknown);
    default:
      return text === '' ? undefined : text;
  }
}

/** Form fields to a claims object at the inputs' paths; a JSON field that does not parse is a problem. */
export function claimsFromFields(
  inputs: readonly ClaimInput[],
  body: Record<string, unknown>,
  sample: Record<string, unknown>,
): { claims: Record<string, unknown>; problems: Problem[] } {
  const claims: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const input of inputs) {
    let value: unknown;
    try {
      value = fieldValue(input, body, sample);
    } catch (error) {
      problems.push(claimProblem(input.path, `not valid JSON: ${(error as Error).message}`));
      continue;
    }
    if (value === undefined) continue;
    let node = claims;
    for (const key of input.path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[input.path.at(-1)!] = value;
  }
  return { claims, problems };
}
