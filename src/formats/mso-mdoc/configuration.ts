// mso_mdoc credential configurations as data (OID4VCI 1.0 Appendix A.2): adding one is adding a file
// beside this one and listing it in index.ts.

/**
 * Encodings of data elements, named after the CDDL of ISO/IEC 18013-5 §7.2.1 and the PID Rulebook
 * §3.1.2. Each has a JSON form that testers type (see element-types.ts) and one CBOR encoding.
 */
export type MdocElementType =
  | 'tstr'
  | 'uint'
  | 'bool'
  /** A `bstr` holding a JPEG or JPEG 2000 image (ISO 18013-5 §7.2.2); base64 in JSON. */
  | 'image'
  /** `#6.1004(tstr)`, RFC 8943; `YYYY-MM-DD` in JSON. */
  | 'full-date'
  /** `#6.0(tstr)`, RFC 8949 §3.4.1, UTC without fractions; `YYYY-MM-DDThh:mm:ssZ` in JSON. */
  | 'tdate'
  /** `[+ tstr]` of ISO 3166-1 alpha-2 codes (PID Rulebook §3.1.3). */
  | 'nationalities'
  /** `{? country, ? region, ? locality}` with at least one of them (PID Rulebook §3.1.4). */
  | 'place_of_birth'
  /** `[+ DrivingPrivilege]` (ISO 18013-5 §7.2.4). */
  | 'driving_privileges';

export interface MdocClaimDefinition {
  /**
   * OID4VCI 1.0 Appendix C.2: namespace, then data element identifier. Structured elements are one
   * definition with a structured type, since an mdoc discloses a data element as a whole.
   */
  path: readonly [namespace: string, element: string];
  type: MdocElementType;
  mandatory?: boolean;
  label: string;
}

/** The JSON form of an mdoc's data: `{ [namespace]: { [element]: value } }`. */
export type MdocClaims = Record<string, Record<string, unknown>>;

export interface MdocConfiguration {
  id: string;
  format: 'mso_mdoc';
  doctype: string;
  scope: string;
  name: string;
  description: string;
  background_color: string;
  text_color: string;
  claims: MdocClaimDefinition[];
  sample: MdocClaims;
  validity_days: number;
  /** Answered with 202 and a transaction_id; completed later by the tester or an automatic plan. */
  deferred: boolean;
  /** No data element and no namespace beyond `claims` may be issued (set where the data model says so). */
  only_listed_elements?: true;
}

export const MDOC_DEFERRED_SUFFIX = '_deferred';

/** The same configuration issued through the Deferred Credential Endpoint (OID4VCI 1.0 §9). */
export function deferredMdocTwin(config: MdocConfiguration): MdocConfiguration {
  return {
    ...config,
    id: `${config.id}${MDOC_DEFERRED_SUFFIX}`,
    scope: `${config.scope}${MDOC_DEFERRED_SUFFIX}`,
    name: `${config.name} (deferred)`,
    description: `${config.description} Issued deferred: the tester supplies the claims on the session page.`,
    deferred: true,
  };
}
