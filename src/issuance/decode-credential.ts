import { decodeCompactJwt } from '../checks/jose-helpers.ts';

/** An issued credential as the session log shows it: JWT header and payload, and for SD-JWT the disclosures. */
export function decodeIssuedCredential(credential: string): Record<string, unknown> {
  const [jwt, ...rest] = credential.split('~');
  const decoded = decodeCompactJwt(jwt);
  const disclosures = rest
    .filter((part) => part.length > 0)
    .map((part) => {
      try {
        const [salt, ...claim] = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown[];
        return claim.length === 2 ? { salt, name: claim[0], value: claim[1] } : { salt, value: claim[0] };
      } catch {
        return { undecodable: part };
      }
    });
  return { ...decoded, ...(rest.length > 0 ? { disclosures } : {}) };
}
