import { type CoseKey, IssuerAuth, IssuerSigned, type MdocContext, MobileSecurityObject, TypedMap } from '@owf/mdoc';
import { msoStatus } from '../../lifecycle/referenced-token.ts';
import { ISSUER_AUTH_ALGORITHM } from './issuer-signing.ts';

// ISO/IEC 18013-5 second edition, MSO "status" (draft-ietf-oauth-status-list-14 Section 6.3.2):
// @owf/mdoc 0.6 signs an MSO without it, and keeps additional MSO keys when decoding and encoding.
// So the MSO it signed is re-signed here with status added, under the same headers and key.

/** The IssuerSigned with `status: { status_list: { idx, uri } }` in its MSO, signed again. */
export async function withMsoStatus(
  issuerSigned: IssuerSigned,
  status: { uri: string; idx: number },
  signingKey: CoseKey,
  ctx: Pick<MdocContext, 'cose'>,
): Promise<IssuerSigned> {
  const signed = issuerSigned.issuerAuth;
  const decoded = (signed.mobileSecurityObject as unknown as { structure: TypedMap<Record<string, unknown>> }).structure;
  const entries = [...decoded.toMap().entries()] as Array<[string, unknown]>;
  const mso = MobileSecurityObject.fromDecodedStructure(
    new TypedMap<Record<string, unknown>>([...entries, ['status', msoStatus(status.uri, status.idx)]]) as never,
  );
  const issuerAuth = await IssuerAuth.create(
    {
      payload: mso,
      protectedHeaders: signed.protectedHeaders,
      unprotectedHeaders: signed.unprotectedHeaders,
      signingKey,
      algorithm: ISSUER_AUTH_ALGORITHM,
    },
    ctx,
  );
  return IssuerSigned.create({ issuerNamespaces: issuerSigned.issuerNamespaces, issuerAuth });
}
