// Claims of the JSON-based formats (dc+sd-jwt, jwt_vc_json): objects nested along claim paths
// (OID4VCI 1.0 Appendix C.1), each leaf of one type.
import { z } from 'zod';
import type { BaseClaimDefinition } from '../configuration.ts';
import type { ClaimInput, ClaimInputKind, ClaimsSchema } from '../format.ts';

export type JsonClaimType = 'string' | 'date' | 'number' | 'boolean' | 'string[]';

export interface JsonClaimDefinition extends BaseClaimDefinition {
  type: JsonClaimType;
}

const leafSchema: Record<JsonClaimType, z.ZodTypeAny> = {
  string: z.string().min(1),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
  number: z.number().finite(),
  boolean: z.boolean(),
  'string[]': z.array(z.string().min(1)).min(1),
};

/** A zod schema built from the claim definitions; claims they do not describe are kept. */
export function jsonClaimsSchema(claims: readonly JsonClaimDefinition[]): ClaimsSchema {
  type Node = { leaf?: JsonClaimDefinition; children: Map<string, Node> };
  const root: Node = { children: new Map() };
  for (const claim of claims) {
    let node = root;
    for (const segment of claim.path) {
      if (!node.children.has(segment)) node.children.set(segment, { children: new Map() });
      node = node.children.get(segment)!;
    }
    node.leaf = claim;
  }
  const build = (node: Node): z.ZodTypeAny => {
    const shape: Record<string, z.ZodTypeAny> = {};
    for (const [key, child] of node.children) {
      const schema = child.leaf ? leafSchema[child.leaf.type] : build(child);
      const required = child.leaf ? child.leaf.mandatory === true : [...child.children.values()].some((c) => c.leaf?.mandatory);
      shape[key] = required ? schema : schema.optional();
    }
    return z.object(shape).passthrough();
  };
  return build(root);
}

const INPUTS: Record<JsonClaimType, { kind: ClaimInputKind; hint?: string }> = {
  string: { kind: 'text' },
  date: { kind: 'date' },
  number: { kind: 'number' },
  boolean: { kind: 'checkbox' },
  'string[]': { kind: 'list', hint: 'comma-separated' },
};

export function jsonClaimInputs(claims: readonly JsonClaimDefinition[]): ClaimInput[] {
  return claims.map((claim) => ({
    path: claim.path,
    label: claim.label,
    mandatory: claim.mandatory === true,
    ...INPUTS[claim.type],
  }));
}
