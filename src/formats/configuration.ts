// What every credential configuration has, whatever its format (OID4VCI 1.0 Section 12.2.4), and the
// metadata members built from it alone. Each format module extends BaseConfiguration with its own.

/** A claim the configuration describes (OID4VCI 1.0 Appendix B.2); formats narrow path and add a type. */
export interface BaseClaimDefinition {
  path: readonly string[];
  mandatory?: boolean;
  label: string;
}

export interface BaseConfiguration {
  id: string;
  format: string;
  /** H-07 (HAIP 1.0 Section 4.1): every configuration has a scope. */
  scope: string;
  name: string;
  description: string;
  background_color: string;
  text_color: string;
  claims: readonly BaseClaimDefinition[];
  /** Issued when the offer names no claims for this configuration. */
  sample: Record<string, unknown>;
  validity_days: number;
  /** Answered with 202 and a transaction_id; completed later by the tester or an automatic plan. */
  deferred: boolean;
}

export const DEFERRED_SUFFIX = '_deferred';

/** The same configuration issued through the Deferred Credential Endpoint (OID4VCI 1.0 Section 9). */
export function deferredTwin<C extends BaseConfiguration>(config: C): C {
  return {
    ...config,
    id: `${config.id}${DEFERRED_SUFFIX}`,
    scope: `${config.scope}${DEFERRED_SUFFIX}`,
    name: `${config.name} (deferred)`,
    description: `${config.description} Issued deferred: the tester supplies the claims on the session page.`,
    deferred: true,
  };
}

const LOCALE = 'en-US';

/**
 * `credential_metadata` (OID4VCI 1.0 Section 12.2.4, Appendix B.2). `pathPrefix` places the claims
 * where the format keeps them in the credential, e.g. under credentialSubject (FMT-JW-01).
 */
export function credentialMetadata(config: BaseConfiguration, pathPrefix: readonly string[] = []) {
  return {
    display: [
      {
        name: config.name,
        locale: LOCALE,
        description: config.description,
        background_color: config.background_color,
        text_color: config.text_color,
      },
    ],
    claims: config.claims.map((claim) => ({
      path: [...pathPrefix, ...claim.path],
      ...(claim.mandatory ? { mandatory: true } : {}),
      display: [{ name: claim.label, locale: LOCALE }],
    })),
  };
}
