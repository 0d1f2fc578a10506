import { z } from 'zod';
import type { MdocClaimDefinition, MdocClaims, MdocConfiguration } from './configuration.ts';
import { elementTypes, extraElementSchema } from './element-types.ts';

/** The configuration's claim definitions by namespace, in their order. */
export function claimsByNamespace(config: MdocConfiguration): Map<string, MdocClaimDefinition[]> {
  const byNamespace = new Map<string, MdocClaimDefinition[]>();
  for (const claim of config.claims) {
    const [namespace] = claim.path;
    byNamespace.set(namespace, [...(byNamespace.get(namespace) ?? []), claim]);
  }
  return byNamespace;
}

// A catchall that fails every value (z.never as catchall would strip the key silently instead).
const notListed = (what: string, config: MdocConfiguration) =>
  z.custom<never>(() => false, { message: `is not ${what} of ${config.doctype}, which allows no others` });

/**
 * A zod schema over the JSON form of an mdoc's data, `{ [namespace]: { [element]: value } }`, built
 * from the claim definitions (OID4VCI 1.0 Appendix B.2). Issue paths are [namespace, element, ...],
 * so a problem reads `org.iso.18013.5.1.birth_date: must be a date YYYY-MM-DD`. Elements and
 * namespaces the configuration does not define are kept as strings, numbers and booleans, unless
 * the configuration allows only its listed elements.
 */
export function mdocClaimsSchema(config: MdocConfiguration): z.ZodType<MdocClaims, z.ZodTypeDef, unknown> {
  const closed = config.only_listed_elements === true;
  const namespaces: Record<string, z.ZodTypeAny> = {};
  for (const [namespace, claims] of claimsByNamespace(config)) {
    const elements = Object.fromEntries(claims.map((claim) => [claim.path[1], elementTypes[claim.type].schema.optional()]));
    const mandatory = claims.filter((claim) => claim.mandatory).map((claim) => claim.path[1]);
    const schema = z
      .object(elements, {
        required_error: `is missing, and it holds mandatory data elements of ${config.doctype}`,
        invalid_type_error: 'must be an object of data elements',
      })
      .catchall(closed ? notListed('a data element', config) : extraElementSchema)
      // Presence is checked here rather than per element so that the message can name the doctype.
      .superRefine((values: Record<string, unknown>, ctx) => {
        for (const element of mandatory) {
          if (values[element] === undefined)
            ctx.addIssue({
              code: z.ZodIssueCode.custom,
              path: [element],
              message: `is mandatory in ${config.doctype}`,
            });
        }
      });
    namespaces[namespace] = mandatory.length > 0 ? schema : schema.optional();
  }
  return z
    .object(namespaces, { invalid_type_error: 'claims must be an object of namespaces' })
    .catchall(
      closed
        ? notListed('a namespace', config)
        : z.record(z.string(), extraElementSchema, { invalid_type_error: 'must be an object of data elements' }),
    );
}
