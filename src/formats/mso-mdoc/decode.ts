import { X509Certificate } from 'node:crypto';
import { type CoseKey, coseKeyToJwk, DateOnly, IssuerSigned } from '@owf/mdoc';
import { Tag } from 'cbor-x';
import type { JWK } from 'jose';
import { jwkThumbprint } from '../../checks/jose-helpers.ts';
import { imageMediaType } from './element-types.ts';

/**
 * An issued mdoc as logs and pages show it: JSON-safe, dates as strings, bytes described. A type
 * alias, so that it is a DecodedCredential (interfaces have no index signature).
 */
export type DecodedMdoc = {
  doctype: string;
  namespaces: Record<string, Record<string, unknown>>;
  mso: {
    version: string;
    digestAlgorithm: string;
    docType: string;
    validityInfo: { signed: string; validFrom: string; validUntil: string; expectedUpdate?: string };
    deviceKey: JWK;
    /** RFC 7638 SHA-256 thumbprint of deviceKey, to compare with the proof key's. */
    deviceKeyThumbprint: string | null;
    /** How many digests the MSO holds per namespace. */
    valueDigests: Record<string, number>;
  };
  issuerCertificate: { subject: string; issuer: string; notBefore: string; notAfter: string; serial: string };
};

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Never throws: what cannot be read as an IssuerSigned structure comes back as `{ undecodable }`. */
export function decodeMdoc(credential: unknown): DecodedMdoc | { undecodable: string } {
  if (typeof credential !== 'string' || !BASE64URL.test(credential)) {
    return { undecodable: 'not a base64url string without padding (FMT-MD-01)' };
  }
  try {
    const issuerSigned = IssuerSigned.decode(new Uint8Array(Buffer.from(credential, 'base64url')));
    const { issuerAuth } = issuerSigned;
    const mso = issuerAuth.mobileSecurityObject;
    const deviceKey = deviceJwk(mso.deviceKeyInfo.deviceKey);
    const { validityInfo } = mso;
    const namespaces: DecodedMdoc['namespaces'] = {};
    for (const [namespace, items] of issuerSigned.issuerNamespaces.issuerNamespaces) {
      namespaces[namespace] = Object.fromEntries(items.map((item) => [item.elementIdentifier, displayValue(item.elementValue)]));
    }
    return {
      doctype: mso.docType,
      namespaces,
      mso: {
        version: mso.version,
        digestAlgorithm: mso.digestAlgorithm,
        docType: mso.docType,
        validityInfo: {
          signed: tdate(validityInfo.signed),
          validFrom: tdate(validityInfo.validFrom),
          validUntil: tdate(validityInfo.validUntil),
          ...(validityInfo.expectedUpdate ? { expectedUpdate: tdate(validityInfo.expectedUpdate) } : {}),
        },
        deviceKey,
        deviceKeyThumbprint: thumbprint(deviceKey),
        valueDigests: Object.fromEntries(
          [...mso.valueDigests.valueDigests].map(([namespace, digests]) => [namespace, digests.size]),
        ),
      },
      issuerCertificate: certificateSummary(issuerAuth.certificate),
    };
  } catch (error) {
    return {
      undecodable: error instanceof Error ? error.message.split('\n').filter(Boolean).join(' ') : String(error),
    };
  }
}

function deviceJwk(key: CoseKey): JWK {
  const members = {
    kty: coseKeyToJwk.keyType(Number(key.keyType)),
    crv: coseKeyToJwk.curve(key.curve),
    x: key.x,
    y: key.y,
  };
  return Object.fromEntries(
    Object.entries(members)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => [name, value instanceof Uint8Array ? Buffer.from(value).toString('base64url') : value]),
  ) as JWK;
}

function thumbprint(jwk: JWK): string | null {
  try {
    return jwkThumbprint(jwk);
  } catch {
    return null;
  }
}

function certificateSummary(der: Uint8Array): DecodedMdoc['issuerCertificate'] {
  const certificate = new X509Certificate(der);
  return {
    subject: certificate.subject.split('\n').join(', '),
    issuer: certificate.issuer.split('\n').join(', '),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    serial: certificate.serialNumber,
  };
}

/** tdate as issued: RFC 3339 without fractions. */
const tdate = (date: Date): string => (Number.isNaN(date.getTime()) ? 'invalid date' : date.toISOString().replace('.000Z', 'Z'));

function displayValue(value: unknown): unknown {
  if (value instanceof DateOnly) return value.toISOString();
  if (value instanceof Date) return tdate(value);
  if (value instanceof Uint8Array) {
    const mediaType = imageMediaType(value);
    return {
      bytes: value.length,
      base64: Buffer.from(value).toString('base64'),
      ...(mediaType ? { media_type: mediaType } : {}),
    };
  }
  if (value instanceof Tag) return { tag: value.tag, value: displayValue(value.value) };
  if (value instanceof Map) return Object.fromEntries([...value].map(([key, entry]) => [String(key), displayValue(entry)]));
  if (Array.isArray(value)) return value.map(displayValue);
  if (typeof value === 'bigint' || (typeof value === 'number' && !Number.isFinite(value))) return String(value);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, displayValue(entry)]));
  return value ?? null;
}
