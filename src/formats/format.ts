// What the playground needs of a credential format (OID4VCI 1.0 Appendix A), behind one interface.
// A format is a module under src/formats/ that exports one CredentialFormat; index.ts lists them.
import type { JWK } from 'jose';
import type { z } from 'zod';
import type { BaseConfiguration } from './configuration.ts';

/** `proof_types_supported` (OID4VCI 1.0 Section 12.2.4), the same for every configuration of a session. */
export type ProofTypesSupported = Record<
  string,
  { proof_signing_alg_values_supported: readonly string[] } & Record<string, unknown>
>;

/** The issuer's signing key as minting needs it: ES256 (P-256) and the CA-issued leaf certificate. */
export interface IssuerKey {
  kid: string;
  alg: 'ES256';
  privateKey: CryptoKey;
  /** HAIP 1.0 Section 6.1.1: the leaf only, as standard-base64 DER; the CA is a trust anchor. */
  x5c: string[];
  leafPem: string;
}

export interface MintContext {
  /** The Credential Issuer Identifier the wallet talks to. */
  issuer: string;
  key: IssuerKey;
  /** One proven holder key, public members only; each format binds it its own way. */
  holderJwk: JWK;
  /** The DID the proof named the holder key by (did:jwk, did:key); the subject of formats that have one. */
  holderDid?: string;
  /** The offer's subject_id, for formats with a subject identifier. */
  subjectId?: string;
  now: number;
  /**
   * The status list entry reserved for this credential (draft-ietf-oauth-status-list-14 Section 6):
   * the list's URI and the index. jwt_vc_json serves its two purposes at uri/revocation and uri/suspension.
   */
  status?: { uri: string; idx: number };
}

/** How the Supply Claims form asks for one claim. */
export type ClaimInputKind = 'text' | 'date' | 'number' | 'integer' | 'checkbox' | 'list' | 'json' | 'image';

export interface ClaimInput {
  /** Where the claim sits in the claims object: [namespace, element] for mso_mdoc. */
  path: readonly string[];
  label: string;
  mandatory: boolean;
  kind: ClaimInputKind;
  hint?: string;
}

/** Claims as testers give them (offer `claims`, Supply Claims), checked; issues are at claim paths. */
export type ClaimsSchema = z.ZodType<Record<string, unknown>, z.ZodTypeDef, unknown>;

/** A credential as logs and pages show it: plain JSON, with `undecodable` saying why it could not be read. */
export type DecodedCredential = Record<string, unknown>;

export interface CredentialFormat<C extends BaseConfiguration> {
  /** The format identifier of OID4VCI 1.0 Appendix A. */
  id: C['format'];
  /** `cryptographic_binding_methods_supported`: how the proven key is bound into the credential. */
  bindingMethods: readonly string[];
  /** The configuration's `credential_configurations_supported` entry (MD-06, MD-07). */
  metadata(config: C, proofTypes: ProofTypesSupported): Record<string, unknown>;
  claimsSchema(config: C): ClaimsSchema;
  claimInputs(config: C): ClaimInput[];
  /** One credential for one holder key; the claims passed claimsSchema. */
  mint(config: C, claims: Record<string, unknown>, context: MintContext): Promise<string>;
  /** Never throws, whatever it is given. */
  decode(credential: unknown): DecodedCredential;
  /** D13-C1: whether a draft-13 request (`format` and its type member) asks for this configuration. */
  requestedByDraft13(config: C, request: Record<string, unknown>): boolean;
}
