// Byte-level helpers over encoded mdocs, written from RFC 8949 (CBOR) and ISO/IEC 18013-5 rather
// than with a CBOR library, so that what they assert does not depend on a decoder's conversions.

/** A CBOR text string (major type 3) with the shortest length header, for lengths under 2^16. */
export function cborText(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const header =
    bytes.length < 24
      ? [0x60 + bytes.length]
      : bytes.length < 256
        ? [0x78, bytes.length]
        : [0x79, bytes.length >> 8, bytes.length & 0xff];
  return Buffer.concat([Buffer.from(header), bytes]);
}

/**
 * `{ "version": "1.0", "documents": [{ "docType": doctype, "issuerSigned": <the bytes> }], "status": 0 }`,
 * the DeviceResponse of ISO 18013-5 §8.3.2.1.2.2 around an unchanged IssuerSigned.
 */
export function deviceResponse(issuerSigned: Uint8Array, doctype: string): Buffer {
  const document = Buffer.concat([
    Buffer.from([0xa2]),
    cborText('docType'),
    cborText(doctype),
    cborText('issuerSigned'),
    issuerSigned,
  ]);
  const documents = Buffer.concat([Buffer.from([0x81]), document]);
  return Buffer.concat([
    Buffer.from([0xa3]),
    cborText('version'),
    cborText('1.0'),
    cborText('documents'),
    documents,
    cborText('status'),
    Buffer.from([0x00]),
  ]);
}

/**
 * The encoded value in an encoded IssuerSignedItem: what follows its "elementValue" key, which
 * @owf/mdoc writes as the last entry of the item's map.
 */
export function encodedElementValue(itemBytes: Uint8Array): Buffer {
  const bytes = Buffer.from(itemBytes);
  const key = cborText('elementValue');
  return bytes.subarray(bytes.indexOf(key) + key.length);
}

/** The credential with the last byte of one encoded item (inside its value) changed in place. */
export function withItemByteChanged(credential: string, itemBytes: Uint8Array): string {
  const bytes = Buffer.from(credential, 'base64url');
  const last = bytes.indexOf(Buffer.from(itemBytes)) + itemBytes.length - 1;
  bytes[last] = bytes[last]! ^ 0x01;
  return bytes.toString('base64url');
}
