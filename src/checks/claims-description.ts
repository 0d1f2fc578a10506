import { z } from 'zod';

// Claims description objects of authorization details (OID4VCI 1.0 Appendix B.1) with claims path
// pointers (Appendix C); other keys are allowed and kept.

const pathComponent = z.union([z.string(), z.number().int().nonnegative(), z.null()]);

const claimsDescription = z
  .object({
    path: z.array(pathComponent).nonempty(),
    mandatory: z.boolean().optional(),
  })
  .passthrough();

export type ClaimsDescription = z.infer<typeof claimsDescription>;

// What a path component says about the claim it is applied to.
type Treats = 'an object' | 'an array (all elements)' | 'an array (one element)';
const treats = (component: string | number | null): Treats =>
  typeof component === 'string' ? 'an object' : component === null ? 'an array (all elements)' : 'an array (one element)';

/**
 * Appendix B.3: processing aborts when two descriptions address the same claim, or when one path
 * treats a claim as an object and another as an array, or selects all elements where another
 * selects one. Returns the conflict, if any.
 */
function contradiction(claims: readonly ClaimsDescription[]): string | undefined {
  const seen = new Set<string>();
  const treatedAs = new Map<string, Treats>();
  for (const [index, { path }] of claims.entries()) {
    const key = JSON.stringify(path);
    if (seen.has(key)) return `claims[${index}] repeats path ${key}`;
    seen.add(key);
    for (let depth = 0; depth < path.length; depth++) {
      const parent = JSON.stringify(path.slice(0, depth));
      const now = treats(path[depth]!);
      const before = treatedAs.get(parent);
      if (before !== undefined && before !== now)
        return `claims[${index}] treats ${parent} as ${now}, an earlier path as ${before}`;
      treatedAs.set(parent, now);
    }
  }
  return undefined;
}

const claimsDescriptions = z
  .array(claimsDescription)
  .nonempty()
  .superRefine((claims, ctx) => {
    const conflict = contradiction(claims);
    if (conflict) ctx.addIssue({ code: z.ZodIssueCode.custom, message: conflict });
  });

/** The claims member of an openid_credential entry, or why it is not a valid one. */
export function parseClaimsDescriptions(
  value: unknown,
): { ok: true; claims: ClaimsDescription[] } | { ok: false; problem: string } {
  const result = claimsDescriptions.safeParse(value);
  if (result.success) return { ok: true, claims: result.data };
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return { ok: false, problem: 'claims is an object (the draft-13 shape); 1.0 expects an array of {"path": [...]} objects' };
  }
  const issue = result.error.issues[0]!;
  const where = issue.path.reduce<string>(
    (at, part) => (typeof part === 'number' ? `${at}[${part}]` : `${at}.${part}`),
    'claims',
  );
  return { ok: false, problem: `${where}: ${issue.message}` };
}
