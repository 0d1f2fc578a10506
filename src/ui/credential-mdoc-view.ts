// A decoded mso_mdoc as pages show it (views/partials/credential-mdoc.eta): the doctype, the data
// elements per namespace, the MSO and the document signer certificate, all as display strings.
import type { DecodedCredential } from '../formats/format.ts';
import type { DecodedMdoc } from '../formats/mso-mdoc/index.ts';
import { isRecord } from './format.ts';

type Row = { label: string; value: string };

export interface MdocView {
  doctype: string;
  namespaces: Array<{ name: string; elements: Row[] }>;
  mso: Row[];
  certificate: Row[];
}

/** Images come decoded as { bytes, base64, media_type }; they are described rather than shown. */
function elementText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.bytes === 'number' && typeof value.base64 === 'string') {
    return `${String(value.media_type ?? 'bytes')}, ${value.bytes} bytes`;
  }
  return JSON.stringify(value);
}

/** The view of decodeCredential('mso_mdoc', …); null when it could not be decoded (it says why). */
export function mdocView(decoded: DecodedCredential): MdocView | null {
  if (decoded.undecodable !== undefined) return null;
  const { doctype, namespaces, mso, issuerCertificate } = decoded as DecodedMdoc;
  return {
    doctype,
    namespaces: Object.entries(namespaces).map(([name, elements]) => ({
      name,
      elements: Object.entries(elements).map(([label, value]) => ({ label, value: elementText(value) })),
    })),
    mso: [
      { label: 'Digest algorithm', value: mso.digestAlgorithm },
      { label: 'Signed', value: mso.validityInfo.signed },
      { label: 'Valid from', value: mso.validityInfo.validFrom },
      { label: 'Valid until', value: mso.validityInfo.validUntil },
      { label: 'Device key thumbprint (RFC 7638)', value: mso.deviceKeyThumbprint ?? '(not computable)' },
      {
        label: 'Value digests',
        value: Object.entries(mso.valueDigests)
          .map(([name, count]) => `${name}: ${count}`)
          .join(', '),
      },
    ],
    certificate: [
      { label: 'Subject', value: issuerCertificate.subject },
      { label: 'Issuer', value: issuerCertificate.issuer },
      { label: 'Valid', value: `${issuerCertificate.notBefore} to ${issuerCertificate.notAfter}` },
      { label: 'Serial', value: issuerCertificate.serial },
    ],
  };
}
