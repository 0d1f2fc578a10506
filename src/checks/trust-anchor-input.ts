import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { JWK } from 'jose';
import { z } from 'zod';
import { privateMembers } from './jose-helpers.ts';

function parsesAsCertificate(pem: string): boolean {
  try {
    new x509.X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

/** A trust anchor a tester supplies (offer, API, /trust form): one certificate or one public JWK. */
export const trustAnchorInputSchema = z
  .object({
    kind: z.enum(['key_attestation', 'wallet_attestation']),
    label: z.string().trim().min(1).max(200).optional(),
    pem: z.string().max(20_000).optional(),
    jwk: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((anchor, ctx) => {
    if ((anchor.pem === undefined) === (anchor.jwk === undefined)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'give exactly one of pem or jwk' });
    }
    if (anchor.pem !== undefined && !parsesAsCertificate(anchor.pem)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['pem'], message: 'is not a PEM X.509 certificate' });
    }
    if (anchor.jwk !== undefined && (typeof anchor.jwk.kty !== 'string' || privateMembers(anchor.jwk as JWK).length > 0)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['jwk'], message: 'must be a public JWK with kty (no private members)' });
    }
  });

export type TrustAnchorInput = z.infer<typeof trustAnchorInputSchema>;
