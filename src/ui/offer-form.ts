// The home page's offer form → the same object POST /credential_offers takes, checked by the same schema.
import { checkOfferRequest, type OfferRequest } from '../checks/offer-request.ts';
import { type ProfileId, profileIds } from '../domain/session.ts';
import { DEFAULT_PROFILE, profiles } from '../issuance/profiles.ts';
import { isRecord } from './format.ts';

/** What the form shows and sends back, as strings and booleans, so entered values survive an error. */
export interface OfferFormValues {
  credential_configuration_ids: string[];
  profile: ProfileId;
  tx_code_mode: 'none' | 'numeric' | 'text';
  /** Which grants the offer carries: pre-authorized, authorization code (tester or auto approval), or both. */
  grants: (typeof GRANT_CHOICES)[number];
  tx_code_length: string;
  tx_code_description: string;
  require_dpop: boolean;
  dpop_nonce: boolean;
  require_key_attestation: boolean;
  key_storage: string;
  user_authentication: string;
  require_wallet_attestation: boolean;
  strict: boolean;
  deferred: boolean;
  ready_after_seconds: string;
  ready_after_polls: string;
  deferred_outcome: 'issue' | 'deny';
  claims: string;
  subject_id: string;
  trust_anchors: string;
  offer_delivery: 'by_reference' | 'by_value';
  offer_scheme: 'openid-credential-offer' | 'haip-vci';
  require_encryption: boolean;
}

export const GRANT_CHOICES = ['pre_authorized', 'authorization_code', 'authorization_code_auto', 'both'] as const;

export type OfferFormField = keyof OfferFormValues | 'form';
export type FieldErrors = Partial<Record<OfferFormField, string[]>>;

/** The demand checkboxes as a profile sets them (public/offer-form.js applies the same when the profile changes). */
export function presetChecks(
  profile: ProfileId,
): Pick<OfferFormValues, 'require_dpop' | 'dpop_nonce' | 'require_key_attestation' | 'require_wallet_attestation' | 'strict'> {
  const d = profiles[profile].defaults;
  return {
    require_dpop: d.require_dpop,
    dpop_nonce: d.dpop_nonce,
    require_key_attestation: d.require_key_attestation !== false,
    require_wallet_attestation: d.require_wallet_attestation,
    strict: d.strict,
  };
}

export const profileFrom = (value: unknown): ProfileId =>
  profileIds.includes(value as ProfileId) ? (value as ProfileId) : DEFAULT_PROFILE;

export function defaultOfferFormValues(
  firstConfigurationId: string | undefined,
  profile: ProfileId = DEFAULT_PROFILE,
): OfferFormValues {
  return {
    credential_configuration_ids: firstConfigurationId ? [firstConfigurationId] : [],
    profile,
    tx_code_mode: 'numeric',
    tx_code_length: '6',
    tx_code_description: '',
    grants: 'pre_authorized',
    ...presetChecks(profile),
    key_storage: '',
    user_authentication: '',
    deferred: false,
    ready_after_seconds: '',
    ready_after_polls: '',
    deferred_outcome: 'issue',
    claims: '',
    subject_id: '',
    trust_anchors: '',
    offer_delivery: 'by_reference',
    offer_scheme: 'openid-credential-offer',
    require_encryption: false,
  };
}

const text = (value: unknown): string => (typeof value === 'string' ? value.trim() : '');
// An HTML checkbox is sent only when ticked.
const ticked = (value: unknown): boolean => value !== undefined && value !== '';
const oneOf = <T extends string>(value: unknown, options: readonly T[], fallback: T): T =>
  options.includes(value as T) ? (value as T) : fallback;

export function readOfferForm(body: unknown): OfferFormValues {
  const form = isRecord(body) ? body : {};
  const ids = form.credential_configuration_ids;
  return {
    credential_configuration_ids: (Array.isArray(ids) ? ids : ids === undefined ? [] : [ids]).map(text).filter(Boolean),
    profile: profileFrom(form.profile),
    tx_code_mode: oneOf(form.tx_code_mode, ['none', 'numeric', 'text'], 'none'),
    grants: oneOf(form.grants, GRANT_CHOICES, 'pre_authorized'),
    tx_code_length: text(form.tx_code_length),
    tx_code_description: text(form.tx_code_description),
    require_dpop: ticked(form.require_dpop),
    dpop_nonce: ticked(form.dpop_nonce),
    require_key_attestation: ticked(form.require_key_attestation),
    key_storage: text(form.key_storage),
    user_authentication: text(form.user_authentication),
    require_wallet_attestation: ticked(form.require_wallet_attestation),
    strict: ticked(form.strict),
    deferred: ticked(form.deferred),
    ready_after_seconds: text(form.ready_after_seconds),
    ready_after_polls: text(form.ready_after_polls),
    deferred_outcome: oneOf(form.deferred_outcome, ['issue', 'deny'], 'issue'),
    claims: text(form.claims),
    subject_id: text(form.subject_id),
    trust_anchors: text(form.trust_anchors),
    offer_delivery: oneOf(form.offer_delivery, ['by_reference', 'by_value'], 'by_reference'),
    offer_scheme: oneOf(form.offer_scheme, ['openid-credential-offer', 'haip-vci'], 'openid-credential-offer'),
    require_encryption: ticked(form.require_encryption),
  };
}

/** Builds the API request; problems the schema cannot see (not a number, not JSON) are collected here. */
function requestFrom(values: OfferFormValues, errors: FieldErrors): Record<string, unknown> {
  const problem = (field: OfferFormField, message: string) => (errors[field] ??= []).push(message);
  const whole = (field: 'tx_code_length' | 'ready_after_seconds' | 'ready_after_polls'): number | undefined => {
    if (values[field] === '') return undefined;
    if (/^\d+$/.test(values[field])) return Number(values[field]);
    problem(field, 'must be a whole number');
    return undefined;
  };
  const json = (field: 'claims' | 'trust_anchors'): unknown => {
    if (values[field] === '') return undefined;
    try {
      return JSON.parse(values[field]);
    } catch (error) {
      problem(field, `is not valid JSON (${(error as Error).message})`);
      return undefined;
    }
  };
  const list = (raw: string) => (raw === '' ? undefined : raw.split(/[\s,]+/).filter(Boolean));
  const onlyWhen = (on: boolean, fields: Array<keyof OfferFormValues>, what: string) => {
    for (const field of fields) if (!on && values[field] !== '') problem(field, `is only used when "${what}" is ticked`);
  };
  if (values.credential_configuration_ids.length === 0)
    problem('credential_configuration_ids', 'tick at least one credential configuration');
  onlyWhen(values.require_key_attestation, ['key_storage', 'user_authentication'], 'Require a key attestation');
  onlyWhen(values.deferred, ['ready_after_seconds', 'ready_after_polls'], 'Complete deferred requests automatically');

  const length = whole('tx_code_length');
  const txCode =
    values.tx_code_mode === 'none'
      ? undefined
      : {
          input_mode: values.tx_code_mode,
          ...(length !== undefined ? { length } : {}),
          ...(values.tx_code_description ? { description: values.tx_code_description } : {}),
        };
  const keyStorage = list(values.key_storage);
  const userAuthentication = list(values.user_authentication);
  const seconds = whole('ready_after_seconds');
  const polls = whole('ready_after_polls');
  const claims = json('claims');
  const trustAnchors = json('trust_anchors');
  // Every demand is sent; the offer schema records only those that differ from the profile as overrides.
  return {
    credential_configuration_ids: values.credential_configuration_ids,
    profile: values.profile,
    grants: {
      ...(values.grants === 'pre_authorized' || values.grants === 'both'
        ? { pre_authorized_code: txCode ? { tx_code: txCode } : {} }
        : {}),
      ...(values.grants === 'pre_authorized'
        ? {}
        : { authorization_code: { approval: values.grants === 'authorization_code_auto' ? 'auto' : 'tester' } }),
    },
    require_dpop: values.require_dpop,
    dpop_nonce: values.dpop_nonce,
    require_key_attestation: !values.require_key_attestation
      ? false
      : keyStorage || userAuthentication
        ? {
            ...(keyStorage ? { key_storage: keyStorage } : {}),
            ...(userAuthentication ? { user_authentication: userAuthentication } : {}),
          }
        : true,
    require_wallet_attestation: values.require_wallet_attestation,
    strict: values.strict,
    ...(values.deferred
      ? {
          deferred: {
            ...(seconds !== undefined ? { ready_after_seconds: seconds } : {}),
            ...(polls !== undefined ? { ready_after_polls: polls } : {}),
            outcome: values.deferred_outcome,
          },
        }
      : {}),
    ...(claims !== undefined ? { claims } : {}),
    ...(values.subject_id ? { subject_id: values.subject_id } : {}),
    ...(trustAnchors !== undefined ? { trust_anchors: trustAnchors } : {}),
    offer_delivery: values.offer_delivery,
    offer_scheme: values.offer_scheme,
    require_encryption: values.require_encryption,
  };
}

// Schema paths → the form field that holds them, most specific first.
const FIELD_OF_PATH: Array<[string, OfferFormField]> = [
  ['credential_configuration_ids', 'credential_configuration_ids'],
  ['grants.pre_authorized_code.tx_code.length', 'tx_code_length'],
  ['grants.pre_authorized_code.tx_code.description', 'tx_code_description'],
  ['grants.authorization_code', 'grants'],
  ['grants', 'tx_code_mode'],
  ['require_key_attestation.key_storage', 'key_storage'],
  ['require_key_attestation.user_authentication', 'user_authentication'],
  ['require_key_attestation', 'require_key_attestation'],
  ['deferred.ready_after_seconds', 'ready_after_seconds'],
  ['deferred.ready_after_polls', 'ready_after_polls'],
  ['deferred.outcome', 'deferred_outcome'],
  ['deferred', 'deferred'],
  ...(
    [
      'profile',
      'claims',
      'subject_id',
      'trust_anchors',
      'require_dpop',
      'dpop_nonce',
      'require_wallet_attestation',
      'strict',
      'offer_delivery',
      'offer_scheme',
      'require_encryption',
    ] as const
  ).map((name): [string, OfferFormField] => [name, name]),
];

function fieldOf(path: string): { field: OfferFormField; rest: string } {
  for (const [prefix, field] of FIELD_OF_PATH) {
    if (path === prefix) return { field, rest: '' };
    if (path.startsWith(`${prefix}.`)) return { field, rest: path.slice(prefix.length + 1) };
  }
  return { field: 'form', rest: path === '(body)' ? '' : path };
}

export type OfferFormResult = { ok: true; request: OfferRequest } | { ok: false; values: OfferFormValues; errors: FieldErrors };

export function submitOfferForm(body: unknown): OfferFormResult {
  const values = readOfferForm(body);
  const errors: FieldErrors = {};
  const checked = checkOfferRequest(requestFrom(values, errors));
  // A field the form already explained keeps that one message rather than the schema's restatement.
  const explained = new Set(Object.keys(errors));
  if (!checked.ok) {
    for (const problem of checked.problems) {
      const { field, rest } = fieldOf(problem.path);
      if (explained.has(field)) continue;
      (errors[field] ??= []).push(rest && !/^\d+$/.test(rest) ? `${rest}: ${problem.message}` : problem.message);
    }
  }
  if (Object.keys(errors).length > 0 || !checked.ok) return { ok: false, values, errors };
  return { ok: true, request: checked.value };
}
