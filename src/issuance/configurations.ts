import { deferredTwin } from '../formats/configuration.ts';
import type { CredentialConfiguration } from '../formats/index.ts';
import { jwtVcJsonConfigurations } from '../formats/jwt-vc-json/index.ts';
import { mdocConfigurations } from '../formats/mso-mdoc/index.ts';
import { sdJwtVcConfigurations } from '../formats/sd-jwt-vc/index.ts';

// The credential configurations this issuer offers: each format module's, and a deferred twin of each.

export type { CredentialConfiguration } from '../formats/index.ts';

const immediateConfigurations: readonly CredentialConfiguration[] = [
  ...sdJwtVcConfigurations,
  ...jwtVcJsonConfigurations,
  ...mdocConfigurations,
];

/** Every configuration has a deferred twin with the same claims, so each format can be tested both ways. */
export const credentialConfigurations: readonly CredentialConfiguration[] = [
  ...immediateConfigurations,
  ...immediateConfigurations.map((config) => deferredTwin(config)),
];

const byId = new Map(credentialConfigurations.map((c) => [c.id, c]));

export function findConfiguration(id: string): CredentialConfiguration | undefined {
  return byId.get(id);
}
