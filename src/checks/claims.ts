import { formatOf } from '../formats/index.ts';
import type { CredentialConfiguration } from '../issuance/configurations.ts';
import type { Problem } from './offer-request.ts';

/** A problem at a claim path; `path` is the readable form, `claim_path` keeps dotted namespaces apart. */
export function claimProblem(claimPath: ReadonlyArray<string | number>, message: string): Problem {
  return { path: claimPath.join('.') || '(claims)', claim_path: [...claimPath], message };
}

/** Claims a tester supplies for a configuration, checked by its format's claims schema (OID4VCI Appendix B.2). */
export function checkClaims(
  config: CredentialConfiguration,
  claims: unknown,
): { ok: true; value: Record<string, unknown> } | { ok: false; problems: Problem[] } {
  const result = formatOf(config).claimsSchema(config).safeParse(claims);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.map((issue) => claimProblem(issue.path, issue.message)) };
}
