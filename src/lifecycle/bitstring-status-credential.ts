import type { BitstringStatusList, BitstringStatusPurpose } from './bitstring-status-list.ts';
import { signX5cJwt, type X5cSigner } from './x5c-signer.ts';

// W3C Bitstring Status List v1.0 ("BitstringStatusListEntry", "BitstringStatusListCredential"),
// the list credential secured as a JWT by W3C VC-JOSE-COSE ("Securing JSON-LD Verifiable Credentials
// with JOSE": typ vc+jwt, cty vc, the payload is the credential itself), served as application/vc+jwt.

export const BITSTRING_STATUS_LIST_MEDIA_TYPE = 'application/vc+jwt';
const VCDM2_CONTEXT = 'https://www.w3.org/ns/credentials/v2';

export interface BitstringStatusListEntry {
  id: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: BitstringStatusPurpose;
  /** An integer in base 10, as a string. */
  statusListIndex: string;
  /** The URL of the BitstringStatusListCredential. */
  statusListCredential: string;
}

/** One credentialStatus entry; the id names the entry, never the list (it adds #index). */
export function bitstringStatusEntry(
  purpose: BitstringStatusPurpose,
  statusListCredential: string,
  index: number,
): BitstringStatusListEntry {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`index ${index} is not a non-negative integer`);
  return {
    id: `${statusListCredential}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential,
  };
}

export interface BitstringStatusListCredentialOptions {
  /** The statusListCredential URL the credential is served at; also its id. */
  url: string;
  issuer: string;
  purpose: BitstringStatusPurpose;
  now: number;
  validForSeconds: number;
  /** credentialSubject.ttl, which the specification counts in milliseconds. */
  ttlSeconds: number;
}

export function bitstringStatusListCredential(
  list: BitstringStatusList,
  options: BitstringStatusListCredentialOptions,
): Record<string, unknown> {
  const from = Math.floor(options.now / 1000) * 1000;
  return {
    '@context': [VCDM2_CONTEXT],
    id: options.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: options.issuer,
    validFrom: new Date(from).toISOString(),
    validUntil: new Date(from + options.validForSeconds * 1000).toISOString(),
    credentialSubject: {
      id: `${options.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: options.purpose,
      encodedList: list.encodedList(),
      ttl: options.ttlSeconds * 1000,
    },
  };
}

/** iss equals issuer and iat/exp date the signature, as VC-JOSE-COSE asks when they are present. */
export async function signBitstringStatusListCredential(
  list: BitstringStatusList,
  options: BitstringStatusListCredentialOptions,
  signer: X5cSigner,
): Promise<string> {
  const iat = Math.floor(options.now / 1000);
  const claims = {
    ...bitstringStatusListCredential(list, options),
    iss: options.issuer,
    iat,
    exp: iat + options.validForSeconds,
  };
  return signX5cJwt('vc+jwt', claims, signer, { cty: 'vc' });
}
