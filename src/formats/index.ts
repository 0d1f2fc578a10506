// The credential formats the playground issues, by format identifier. Adding a format is adding a
// module beside these, listing it here and its configurations in issuance/configurations.ts.
import type { CredentialFormat, DecodedCredential } from './format.ts';
import { type JwtVcJsonConfiguration, jwtVcJsonFormat } from './jwt-vc-json/index.ts';
import { type MdocConfiguration, msoMdocFormat } from './mso-mdoc/index.ts';
import { type SdJwtVcConfiguration, sdJwtVcFormat } from './sd-jwt-vc/index.ts';

export type CredentialConfiguration = SdJwtVcConfiguration | JwtVcJsonConfiguration | MdocConfiguration;
export type FormatId = CredentialConfiguration['format'];

type Registry = { [F in FormatId]: CredentialFormat<Extract<CredentialConfiguration, { format: F }>> };

const formats: Registry = {
  'dc+sd-jwt': sdJwtVcFormat,
  jwt_vc_json: jwtVcJsonFormat,
  mso_mdoc: msoMdocFormat,
};

/** The module of the configuration's format. */
export function formatOf<C extends CredentialConfiguration>(config: C): CredentialFormat<C> {
  // Sound by Registry: the module under a format id takes the configurations of that format.
  return formats[config.format] as unknown as CredentialFormat<C>;
}

const isFormatId = (format: string): format is FormatId => Object.hasOwn(formats, format);

/**
 * A credential as logs and pages show it, by its format: plain JSON, never throws. What cannot be
 * decoded comes back as `{ undecodable: reason }`.
 */
export function decodeCredential(format: string, credential: unknown): DecodedCredential {
  if (!isFormatId(format)) return { undecodable: `no decoder for format ${JSON.stringify(format)}` };
  return formats[format].decode(credential);
}
