import type { CredentialConfiguration } from '../configurations.ts';
import { mintJwtVcJson } from './jwt-vc-json.ts';
import type { MintInput } from './mint-input.ts';
import { mintSdJwtVc } from './sd-jwt-vc.ts';

export type { MintInput } from './mint-input.ts';

const minters: Record<CredentialConfiguration['format'], (input: MintInput) => Promise<string>> = {
  'dc+sd-jwt': mintSdJwtVc,
  jwt_vc_json: mintJwtVcJson,
};

export function mintCredential(input: MintInput): Promise<string> {
  return minters[input.config.format](input);
}
