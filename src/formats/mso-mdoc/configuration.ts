// mso_mdoc credential configurations as data (OID4VCI 1.0 Appendix A.2): adding one is adding a file
// beside this one and listing it in index.ts.
import type { BaseClaimDefinition, BaseConfiguration } from '../configuration.ts';

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

export interface MdocClaimDefinition extends BaseClaimDefinition {
  /**
   * OID4VCI 1.0 Appendix C.2: namespace, then data element identifier. Structured elements are one
   * definition with a structured type, since an mdoc discloses a data element as a whole.
   */
  path: readonly [namespace: string, element: string];
  type: MdocElementType;
}

/** The JSON form of an mdoc's data: `{ [namespace]: { [element]: value } }`. */
export type MdocClaims = Record<string, Record<string, unknown>>;

export interface MdocConfiguration extends BaseConfiguration {
  format: 'mso_mdoc';
  doctype: string;
  claims: MdocClaimDefinition[];
  sample: MdocClaims;
  /** No data element and no namespace beyond `claims` may be issued (set where the data model says so). */
  only_listed_elements?: true;
}
