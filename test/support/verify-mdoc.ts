// Independent verification of mso_mdoc credentials with @auth0/mdl (on cose-kit and pkijs), another
// implementation than the one that minted them (@owf/mdoc). @auth0/mdl verifies DeviceResponses
// only, so the IssuerSigned bytes are placed, unchanged, in a one-document DeviceResponse. The
// checks @auth0/mdl does not make are made below on its decoded structures, never with the
// minting code.

import { X509Certificate } from 'node:crypto';
import { Verifier } from '@auth0/mdl';
import type { JWK } from 'jose';
import { deviceResponse } from './mdoc-bytes.ts';

export interface VerifiedItem {
  digestID: number;
  random: Uint8Array;
  elementIdentifier: string;
  elementValue: unknown;
  /** The encoded IssuerSignedItem: the byte string inside tag 24, which the MSO digest covers. */
  itemBytes: Uint8Array;
}

export interface VerifiedMdoc {
  namespaces: Record<string, Record<string, unknown>>;
  items: Record<string, VerifiedItem[]>;
  mso: {
    docType: string;
    version: string;
    digestAlgorithm: string;
    validityInfo: { signed: Date; validFrom: Date; validUntil: Date };
  };
  protectedHeaders: Map<number, unknown>;
  unprotectedHeaders: Map<number, unknown>;
  /** Which of the holder keys the MSO's device key is. */
  holderKeyIndex: number;
}

export interface VerifyMdocOptions {
  caPem: string;
  /** The device key must be this key, or one of these (a batch). */
  holderJwk: JWK | readonly JWK[];
  now: number;
  doctype: string;
}

// Device authentication belongs to presentation, and validity is checked below at options.now
// (@auth0/mdl uses the wall clock).
const NOT_APPLICABLE = new Set(['MSO_VALIDITY_AT_VERIFICATION_TIME']);

const COSE_KEY_TYPES: Record<string, number> = { OKP: 1, EC: 2 };
const COSE_CURVES: Record<string, number> = { 'P-256': 1, 'P-384': 2, 'P-521': 3, Ed25519: 6 };
const X5CHAIN = 33;
const ALG = 1;

/** Throws, naming every failed check, unless the credential verifies against the CA and the options. */
export async function verifyMdoc(credential: string, options: VerifyMdocOptions): Promise<VerifiedMdoc> {
  if (!/^[A-Za-z0-9_-]+$/.test(credential)) throw new Error('FMT-MD-01: the credential is not base64url without padding');
  const failures: string[] = [];
  const mdoc = await new Verifier([options.caPem]).verify(deviceResponse(Buffer.from(credential, 'base64url'), options.doctype), {
    onCheck: (assessment) => {
      if (assessment.status === 'FAILED' && assessment.category !== 'DEVICE_AUTH' && !NOT_APPLICABLE.has(assessment.id)) {
        failures.push(assessment.reason ? `${assessment.check} (${assessment.reason})` : assessment.check);
      }
    },
  });
  const { issuerAuth, nameSpaces } = mdoc.documents[0]!.issuerSigned;
  const mso = issuerAuth.decodedPayload;
  const expect = (holds: boolean, failure: string) => holds || failures.push(failure);

  expect(mso.docType === options.doctype, `docType is ${mso.docType}, expected ${options.doctype}`);
  expect(mso.version === '1.0', `MSO version is ${mso.version}`);
  expect(mso.digestAlgorithm === 'SHA-256', `H-19: digestAlgorithm is ${mso.digestAlgorithm}`);
  expect(issuerAuth.protectedHeaders.get(ALG) === -7, 'the protected header alg is not -7 (ES256)');
  const x5chain = issuerAuth.unprotectedHeaders.get(X5CHAIN);
  expect(
    x5chain instanceof Uint8Array && !issuerAuth.protectedHeaders.has(X5CHAIN),
    'x5chain must be one certificate in the unprotected header',
  );
  if (x5chain instanceof Uint8Array) {
    expect(
      new X509Certificate(x5chain).fingerprint256 !== new X509Certificate(options.caPem).fingerprint256,
      'the trust anchor is in x5chain',
    );
  }

  const deviceKey = mso.deviceKeyInfo?.deviceKey;
  const holderJwks: readonly JWK[] = Array.isArray(options.holderJwk) ? options.holderJwk : [options.holderJwk as JWK];
  const holderKeyIndex = deviceKey === undefined ? -1 : holderJwks.findIndex((jwk) => sameKey(deviceKey, jwk));
  expect(holderKeyIndex >= 0, 'FMT-MD-03: the MSO device key is not the holder key');

  const { signed, validFrom, validUntil } = mso.validityInfo;
  expect(signed.getTime() <= validFrom.getTime(), 'validFrom is before signed');
  expect(
    validFrom.getTime() <= options.now && options.now <= validUntil.getTime(),
    `not valid at ${new Date(options.now).toISOString()}`,
  );

  const items: VerifiedMdoc['items'] = {};
  const namespaces: VerifiedMdoc['namespaces'] = {};
  for (const [namespace, signedItems] of Object.entries(nameSpaces)) {
    const digestIds = signedItems.map((item) => item.digestID);
    expect(new Set(digestIds).size === digestIds.length, `${namespace}: digest IDs repeat`);
    expect(
      mso.valueDigests?.get(namespace)?.size === signedItems.length,
      `${namespace}: the MSO digests other items than those issued`,
    );
    items[namespace] = signedItems.map((item) => ({
      digestID: item.digestID,
      random: item.random,
      elementIdentifier: item.elementIdentifier,
      elementValue: item.elementValue,
      itemBytes: item.dataItem.buffer,
    }));
    namespaces[namespace] = Object.fromEntries(signedItems.map((item) => [item.elementIdentifier, item.elementValue]));
  }
  if (failures.length > 0) throw new Error(`mdoc verification failed: ${failures.join('; ')}`);
  return {
    namespaces,
    items,
    mso,
    protectedHeaders: issuerAuth.protectedHeaders,
    unprotectedHeaders: issuerAuth.unprotectedHeaders,
    holderKeyIndex,
  };
}

function sameKey(coseKey: Map<number, number | Uint8Array>, jwk: JWK): boolean {
  const coordinate = (label: number) => {
    const value = coseKey.get(label);
    return value instanceof Uint8Array ? Buffer.from(value).toString('base64url') : undefined;
  };
  return (
    coseKey.get(1) === COSE_KEY_TYPES[String(jwk.kty)] &&
    coseKey.get(-1) === COSE_CURVES[String(jwk.crv)] &&
    coordinate(-2) === jwk.x &&
    coordinate(-3) === jwk.y
  );
}
