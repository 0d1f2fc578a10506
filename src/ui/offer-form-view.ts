// View model of the offer form: the values to show, each field's errors, and the choices to offer.
import { profileIds } from '../domain/session.ts';
import { credentialConfigurations } from '../issuance/configurations.ts';
import { profiles } from '../issuance/profiles.ts';
import { prettyJson } from './format.ts';
import { type FieldErrors, type OfferFormValues, presetChecks } from './offer-form.ts';

export interface OfferFormView {
  action: string;
  csrfToken: string;
  values: OfferFormValues;
  /** Every field's messages ([] when fine), so templates never test for undefined. */
  errors: Record<string, string[]>;
  errorCount: number;
  /** aria-describedby (hint and errors) and aria-invalid for a field, built from fixed ids only. */
  aria: (field: string) => string;
  configurations: Array<{ id: string; name: string; format: string; inputId: string; checked: boolean }>;
  /** Each profile with the checkbox states it presets, as JSON for public/offer-form.js. */
  profiles: Array<{ value: string; label: string; selected: boolean; preset: string }>;
  demandChecks: Array<{ id: string; label: string; hint: string; checked: boolean }>;
  txCodeModes: Array<{ value: string; label: string; selected: boolean }>;
  grantChoices: Array<{ value: string; label: string; selected: boolean }>;
  outcomes: Array<{ value: string; label: string; selected: boolean }>;
  sampleClaimsJson: string;
}

const FIELDS = [
  'form',
  'credential_configuration_ids',
  'profile',
  'grants',
  'tx_code_mode',
  'tx_code_length',
  'tx_code_description',
  'require_dpop',
  'dpop_nonce',
  'require_key_attestation',
  'key_storage',
  'user_authentication',
  'require_wallet_attestation',
  'strict',
  'deferred',
  'ready_after_seconds',
  'ready_after_polls',
  'deferred_outcome',
  'claims',
  'subject_id',
  'trust_anchors',
  'offer_delivery',
  'offer_scheme',
  'require_encryption',
] as const;

export function offerFormView(
  action: string,
  csrfToken: string,
  values: OfferFormValues,
  errors: FieldErrors = {},
): OfferFormView {
  const allErrors = Object.fromEntries(FIELDS.map((field) => [field, errors[field] ?? []]));
  return {
    action,
    csrfToken,
    values,
    errors: allErrors,
    errorCount: Object.values(allErrors).reduce((n, list) => n + list.length, 0),
    aria: (field) => `aria-describedby="${field}-hint ${field}-error"${allErrors[field]?.length ? ' aria-invalid="true"' : ''}`,
    configurations: credentialConfigurations.map((c, i) => ({
      id: c.id,
      name: c.name,
      format: c.format,
      inputId: `configuration-${i}`,
      checked: values.credential_configuration_ids.includes(c.id),
    })),
    profiles: profileIds.map((id) => ({
      value: id,
      label: profiles[id].label,
      selected: id === values.profile,
      preset: JSON.stringify(presetChecks(id)),
    })),
    demandChecks: [
      {
        id: 'require_dpop',
        label: 'Require DPoP at /token',
        hint: 'A DPoP-bound token. Unticked: a Bearer token that lives 5 minutes.',
      },
      { id: 'dpop_nonce', label: 'Demand server DPoP nonces', hint: 'use_dpop_nonce at /token and /credential; needs DPoP.' },
      { id: 'require_wallet_attestation', label: 'Require a wallet attestation', hint: 'OAuth-Client-Attestation at /token.' },
      { id: 'strict', label: 'Strict', hint: 'Dialect warnings (pre-1.0 typ values, older drafts) become rejections.' },
    ].map((box) => ({ ...box, checked: values[box.id as 'strict'] })),
    txCodeModes: [
      { value: 'none', label: 'No transaction code' },
      { value: 'numeric', label: 'Numeric' },
      { value: 'text', label: 'Text' },
    ].map((mode) => ({ ...mode, selected: mode.value === values.tx_code_mode })),
    grantChoices: [
      { value: 'pre_authorized', label: 'Pre-authorized code' },
      { value: 'authorization_code', label: 'Authorization code, the tester approves on a consent page' },
      { value: 'authorization_code_auto', label: 'Authorization code, approved at once (wallet CI)' },
      { value: 'both', label: 'Both: pre-authorized code and authorization code (consent page)' },
    ].map((choice) => ({ ...choice, selected: choice.value === values.grants })),
    outcomes: [
      { value: 'issue', label: 'Issue the credential' },
      { value: 'deny', label: 'Refuse (credential_request_denied)' },
    ].map((outcome) => ({ ...outcome, selected: outcome.value === values.deferred_outcome })),
    sampleClaimsJson: prettyJson(Object.fromEntries(credentialConfigurations.map((c) => [c.id, c.sample]))),
  };
}
