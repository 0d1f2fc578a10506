// The shapes every catalogue area file uses; no area imports another, so the catalogue has no cycle.

/**
 * One diagnostic: what the wallet is answered (error code, HTTP status) and what the tester reads
 * (title, reason, help, spec_ref). `rule` is the checklist rule it belongs to ('-' for the
 * playground's own API and plain HTTP problems, which are no wallet conformance rule).
 */
export interface Diagnostic {
  id: string;
  rule: string;
  error: string;
  status: number;
  title: string;
  reason: string;
  help: string;
  spec_ref: string;
}

export type Entry = Omit<Diagnostic, 'id'>;

/** A checklist rule (the ids of the project's spec checklist): what it demands, and where. */
export interface Rule {
  title: string;
  spec_ref: string;
}

export const VCI = 'OID4VCI 1.0';
export const HAIP = 'HAIP 1.0';
export const DPOP = 'RFC 9449 (DPoP)';
export const ABCA = 'draft-ietf-oauth-attestation-based-client-auth-07';

export const entry = (
  rule: string,
  error: string,
  status: number,
  title: string,
  reason: string,
  help: string,
  spec_ref: string,
): Entry => ({
  rule,
  error,
  status,
  title,
  reason,
  help,
  spec_ref,
});
