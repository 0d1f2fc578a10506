// A document signer chain and a holder key for mso_mdoc tests, with mint and verify bound to them.
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { type MdocConfiguration, type MintMdocInput, mintMdoc } from '../../src/formats/mso-mdoc/index.ts';
import { type CertificateChain, createCertificateChain } from '../../src/issuance/certificates.ts';
import { type VerifiedItem, type VerifiedMdoc, type VerifyMdocOptions, verifyMdoc } from './verify-mdoc.ts';

export interface MdocFixture {
  now: number;
  chain: CertificateChain;
  holderJwk: JWK;
  /** The configuration's sample, for the fixture's holder, signed by the fixture's leaf. */
  mint: (config: MdocConfiguration, overrides?: Partial<MintMdocInput>) => Promise<string>;
  /** Against the fixture's CA, holder key, time and the configuration's doctype. */
  verify: (credential: string, config: MdocConfiguration, overrides?: Partial<VerifyMdocOptions>) => Promise<VerifiedMdoc>;
}

/**
 * ISO 18013-5 Annex B: the document signer certificate and its CA name a country (C), which mDL
 * verifiers also match against issuing_country; the samples say DE.
 */
export function documentSignerChain(now: number): Promise<CertificateChain> {
  return createCertificateChain({
    caName: 'C=DE, O=OID4VCI Playground, CN=Test IACA',
    leafName: 'C=DE, O=OID4VCI Playground, CN=Test DS',
    now,
    caDays: 30,
    leafDays: 10,
  });
}

export async function createMdocFixture(now = Date.now()): Promise<MdocFixture> {
  const chain = await documentSignerChain(now);
  const holderJwk = await exportJWK((await generateKeyPair('ES256')).publicKey);
  const issuer = { privateKey: chain.leafPrivateJwk, leafCertificatePem: chain.leafPem };
  return {
    now,
    chain,
    holderJwk,
    mint: (config, overrides = {}) => mintMdoc({ config, claims: config.sample, holderJwk, issuer, now, ...overrides }),
    verify: (credential, config, overrides = {}) =>
      verifyMdoc(credential, { caPem: chain.caPem, holderJwk, now, doctype: config.doctype, ...overrides }),
  };
}

export function itemOf(verified: VerifiedMdoc, namespace: string, element: string): VerifiedItem {
  const item = verified.items[namespace]?.find((candidate) => candidate.elementIdentifier === element);
  assert.ok(item, `${namespace}.${element} is issued`);
  return item;
}
