import { z } from 'zod';
import { type ProfileId, profileIds } from '../domain/session.ts';
import { formatOf } from '../formats/index.ts';
import { findConfiguration } from '../issuance/configurations.ts';
import { DEFAULT_PROFILE, type ProfileDemands, profiles } from '../issuance/profiles.ts';
import { trustAnchorInputSchema } from './trust-anchor-input.ts';

// The playground's own API (POST /credential_offers), checked against OFF-04 and OFF-08.

const txCodeSchema = z
  .object({
    input_mode: z.enum(['numeric', 'text']).default('numeric'),
    length: z.number().int().min(4).max(12).default(6),
    description: z.string().max(300).optional(),
  })
  .strict();

const attestationValues = z.array(z.string().min(1).max(200)).nonempty().max(20);
const keyAttestationDemandSchema = z
  .object({ key_storage: attestationValues.optional(), user_authentication: attestationValues.optional() })
  .strict();

const deferredSchema = z
  .object({
    ready_after_seconds: z.number().int().min(0).max(86_400).optional(),
    ready_after_polls: z.number().int().min(0).max(1000).optional(),
    outcome: z.enum(['issue', 'deny']).default('issue'),
  })
  .strict();

export const offerRequestSchema = z
  .object({
    credential_configuration_ids: z
      .array(
        z.string().refine(
          (id) => findConfiguration(id) !== undefined,
          (id) => ({ message: `unknown credential configuration "${id}"` }),
        ),
      )
      .nonempty()
      .refine((ids) => new Set(ids).size === ids.length, 'ids must be unique'),
    grants: z
      .object({
        // `true` means "no tx_code"; reading it as {} lets zod name the exact field of a bad tx_code.
        pre_authorized_code: z
          .preprocess((value) => (value === true ? {} : value), z.object({ tx_code: txCodeSchema.optional() }).strict())
          .optional(),
        // OID4VCI 1.0 Section 4.1.1: the authorization code grant, approved by the tester on the consent page or at once.
        authorization_code: z
          .preprocess(
            (value) => (value === true ? {} : value),
            z
              .object({ approval: z.enum(['tester', 'auto']).default('tester'), issuer_state: z.boolean().default(true) })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .refine(
        (grants) => grants.pre_authorized_code !== undefined || grants.authorization_code !== undefined,
        'at least one grant is needed',
      )
      .default({ pre_authorized_code: {} }),
    // H-13: refresh tokens are issued for both code grants unless turned off.
    refresh_tokens: z.boolean().default(true),
    // WA-09: the PoP must carry a challenge from the challenge endpoint (advertised only where demanded).
    require_attestation_challenge: z.boolean().default(false),
    // WA-10: wallet attestations older than this (by iat) get use_fresh_attestation.
    max_attestation_age_seconds: z
      .number()
      .int()
      .min(1)
      .max(366 * 86_400)
      .optional(),
    claims: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    subject_id: z.string().min(1).max(200).optional(),
    // The demands default to the profile's; what an offer sets overrides its preset.
    profile: z.enum(profileIds).default(DEFAULT_PROFILE),
    require_dpop: z.boolean().optional(),
    dpop_nonce: z.boolean().optional(),
    // true is "any key attestation"; an object also names the accepted values (OID4VCI Appendix D.2).
    require_key_attestation: z
      .union([z.boolean(), keyAttestationDemandSchema])
      .optional()
      .transform((value) => (value === true ? {} : value)),
    require_wallet_attestation: z.boolean().optional(),
    strict: z.boolean().optional(),
    // ENC-02, ENC-04: the session's metadata says encryption_required for requests and responses.
    require_encryption: z.boolean().default(false),
    // OFF-01: how offer_link hands the offer over; OFF-10: openid-credential-offer:// or HAIP's haip-vci://.
    offer_delivery: z.enum(['by_reference', 'by_value']).default('by_reference'),
    offer_scheme: z.enum(['openid-credential-offer', 'haip-vci']).default('openid-credential-offer'),
    deferred: deferredSchema.optional(),
    trust_anchors: z.array(trustAnchorInputSchema).max(20).default([]),
  })
  .strict()
  .superRefine((request, ctx) => {
    for (const [id, claims] of Object.entries(request.claims)) {
      const config = findConfiguration(id);
      if (!config || !request.credential_configuration_ids.includes(id)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['claims', id],
          message: 'claims given for a configuration that is not in credential_configuration_ids',
        });
        continue;
      }
      const result = formatOf(config).claimsSchema(config).safeParse(claims);
      for (const issue of result.success ? [] : result.error.issues) {
        ctx.addIssue({ ...issue, path: ['claims', id, ...issue.path] } as z.IssueData);
      }
    }
    const preset = profiles[request.profile].defaults;
    if ((request.dpop_nonce ?? preset.dpop_nonce) && !(request.require_dpop ?? preset.require_dpop)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['dpop_nonce'],
        message: 'a DPoP nonce can only be demanded when require_dpop is true',
      });
    }
  })
  .transform(withProfileDefaults);

export type OfferRequest = z.infer<typeof offerRequestSchema>;

const DEMANDS = ['require_dpop', 'dpop_nonce', 'require_key_attestation', 'require_wallet_attestation', 'strict'] as const;

/** Fills each demand the offer left out from its profile, and names the ones it set against the preset. */
function withProfileDefaults<T extends { profile: ProfileId } & { [K in (typeof DEMANDS)[number]]?: ProfileDemands[K] }>(
  request: T,
) {
  const preset = profiles[request.profile].defaults;
  const overrides = DEMANDS.filter(
    (key) => request[key] !== undefined && JSON.stringify(request[key]) !== JSON.stringify(preset[key]),
  );
  return {
    ...request,
    require_dpop: request.require_dpop ?? preset.require_dpop,
    dpop_nonce: request.dpop_nonce ?? preset.dpop_nonce,
    require_key_attestation: request.require_key_attestation ?? preset.require_key_attestation,
    require_wallet_attestation: request.require_wallet_attestation ?? preset.require_wallet_attestation,
    strict: request.strict ?? preset.strict,
    algs: preset.algs,
    overrides: [...overrides],
  };
}

export interface Problem {
  path: string;
  /** For claims: the claim path (OID4VCI 1.0 Appendix C), e.g. [namespace, element] for mso_mdoc. */
  claim_path?: Array<string | number>;
  message: string;
}

export function checkOfferRequest(body: unknown): { ok: true; value: OfferRequest } | { ok: false; problems: Problem[] } {
  const result = offerRequestSchema.safeParse(body ?? {});
  if (result.success) return { ok: true, value: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      path: issue.path.join('.') || '(body)',
      // claims.<configuration id>.<claim path>
      ...(issue.path[0] === 'claims' && issue.path.length > 2 ? { claim_path: issue.path.slice(2) } : {}),
      message: issue.message,
    })),
  };
}
