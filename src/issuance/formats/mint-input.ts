import type { JWK } from 'jose';
import type { CredentialConfiguration } from '../configurations.ts';
import type { IssuerSigningKey } from '../keys.ts';

export interface MintInput {
  issuer: string;
  key: IssuerSigningKey;
  config: CredentialConfiguration;
  claims: Record<string, unknown>;
  holderJwk: JWK;
  subjectId?: string;
  now: number;
}
