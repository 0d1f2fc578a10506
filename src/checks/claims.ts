import { claimsSchema, type CredentialConfiguration } from '../issuance/configurations.ts';
import type { Problem } from './offer-request.ts';

/** Claims a tester supplies for a configuration, checked against its claim metadata (OID4VCI Appendix B.2). */
export function checkClaims(config: CredentialConfiguration, claims: unknown): { ok: true; value: Record<string, unknown> } | { ok: false; problems: Problem[] } {
  const result = claimsSchema(config).safeParse(claims);
  if (result.success) return { ok: true, value: result.data as Record<string, unknown> };
  return { ok: false, problems: result.error.issues.map((issue) => ({ path: issue.path.join('.') || '(claims)', message: issue.message })) };
}
