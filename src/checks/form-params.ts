// Form bodies and query strings as Fastify parses them: a string per name, an array when repeated.

export interface FormParams {
  /** Every name that was sent, also with an empty value. */
  names: string[];
  /** Names sent more than once with a value, except the names allowed to repeat. */
  repeated: string[];
  /** The value; an empty one counts as not sent (RFC 6749 Section 3.1). */
  get(name: string): string | undefined;
  /** All non-empty values of a name that may repeat (e.g. resource, RFC 8707 Section 2). */
  all(name: string): string[];
}

export function formParams(raw: Record<string, unknown>, repeatable: readonly string[] = []): FormParams {
  const values = new Map<string, string[]>();
  for (const [name, value] of Object.entries(raw)) {
    const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
    values.set(name, list);
  }
  return {
    names: [...values.keys()],
    repeated: [...values].filter(([name, list]) => list.length > 1 && !repeatable.includes(name)).map(([name]) => name),
    get: (name) => values.get(name)?.[0],
    all: (name) => values.get(name) ?? [],
  };
}
