import { DeviceKey, Issuer } from '@owf/mdoc';
import type { JWK } from 'jose';
import { claimsByNamespace, mdocClaimsSchema } from './claims-schema.ts';
import type { MdocClaims, MdocConfiguration, MdocElementType } from './configuration.ts';
import { elementTypes } from './element-types.ts';
import { ISSUER_AUTH_ALGORITHM, type MdocIssuerKey, mdocSigner } from './issuer-signing.ts';
import { withMsoStatus } from './mso-status.ts';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface MintMdocInput {
  config: MdocConfiguration;
  /** The JSON form; it is checked with mdocClaimsSchema again, so what is signed always passed it. */
  claims: MdocClaims;
  /** The key of the wallet's proof, public members only. */
  holderJwk: JWK;
  issuer: MdocIssuerKey;
  now: number;
  validityDays?: number;
  /** The MSO status entry (draft-ietf-oauth-status-list-14 Section 6.3.2), referencing the CWT list. */
  status?: { uri: string; idx: number };
}

/**
 * One mso_mdoc credential for one holder key (OID4VCI 1.0 Appendix A.2.4, ISO/IEC 18013-5 §9.1.2):
 * the base64url, unpadded, CBOR IssuerSigned structure. Each data element becomes an
 * IssuerSignedItem with a 32-byte random salt and a random digest ID; the MSO holds their SHA-256
 * digests and the holder key, and is signed as a COSE_Sign1 with the leaf in x5chain.
 */
export async function mintMdoc(input: MintMdocInput): Promise<string> {
  const { config, now } = input;
  const claims = mdocClaimsSchema(config).parse(input.claims);
  const signer = mdocSigner(input.issuer);
  const issuer = new Issuer(config.doctype, signer.context);
  const types = claimsByNamespace(config);
  for (const [namespace, elements] of Object.entries(claims)) {
    // IssuerNameSpaces maps a namespace to [+ IssuerSignedItemBytes]: no empty namespaces.
    if (Object.keys(elements).length === 0) continue;
    const typeOf = new Map((types.get(namespace) ?? []).map((claim): [string, MdocElementType] => [claim.path[1], claim.type]));
    issuer.addIssuerNamespace(
      namespace,
      Object.fromEntries(Object.entries(elements).map(([element, value]) => [element, cborValue(typeOf.get(element), value)])),
    );
  }
  // FMT-ALL-01 (OID4VCI 1.0 §15.4.1): signed and validFrom are rounded down to the hour, so the
  // times do not tell apart the credentials issued within that hour.
  const signed = new Date(Math.floor(now / HOUR_MS) * HOUR_MS);
  const withoutStatus = await issuer.sign({
    signingKey: signer.coseKey,
    algorithm: ISSUER_AUTH_ALGORITHM,
    digestAlgorithm: 'SHA-256', // H-19 (HAIP 1.0 §8)
    validityInfo: {
      signed,
      validFrom: signed,
      validUntil: new Date(signed.getTime() + (input.validityDays ?? config.validity_days) * DAY_MS),
    },
    // FMT-MD-03: the device key is the proof key, as a COSE_Key (RFC 9052 §7).
    deviceKeyInfo: { deviceKey: DeviceKey.fromJwk(publicDeviceJwk(input.holderJwk)) },
    // ISO 18013-5 §9.1.2.4: x5chain (unprotected header) holds the document signer certificate;
    // the trust anchor stays out of it.
    certificates: [signer.certificate],
  });
  const issuerSigned = input.status
    ? await withMsoStatus(withoutStatus, input.status, signer.coseKey, signer.context)
    : withoutStatus;
  // FMT-MD-01 (Appendix A.2.4): base64url of the CBOR IssuerSigned; Node writes it unpadded.
  return Buffer.from(issuerSigned.encode()).toString('base64url');
}

function cborValue(type: MdocElementType | undefined, value: unknown): unknown {
  return type ? elementTypes[type].toCbor(value as never) : value;
}

/** The members that make the COSE_Key: an EC2 or OKP public key and nothing else (no kid, alg, use). */
function publicDeviceJwk(jwk: JWK): Record<string, unknown> {
  if (jwk.d !== undefined) throw new Error('the holder key must be a public JWK, it has a private "d" member');
  if (jwk.kty === 'EC') return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  if (jwk.kty === 'OKP') return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  throw new Error(`the holder key must be an EC or OKP JWK for a COSE_Key device key, not kty ${String(jwk.kty)}`);
}
