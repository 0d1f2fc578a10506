// Profiles as presets: a profile fills in the demands an offer does not set itself, and tells the
// conformance report which rules a wallet under that profile is expected to exercise.
import type { RuleId } from '../diagnostics/index.ts';
import type { ProfileId, Session, SessionOptions } from '../domain/session.ts';

/** The demands a profile sets; an offer's explicit options override them. */
export type ProfileDemands = Pick<
  SessionOptions,
  'require_dpop' | 'dpop_nonce' | 'require_key_attestation' | 'require_wallet_attestation' | 'strict'
> & { algs?: string[] };

export interface Profile {
  id: ProfileId;
  label: string;
  defaults: ProfileDemands;
}

export const profiles: Record<ProfileId, Profile> = {
  'oid4vci-1.0': {
    id: 'oid4vci-1.0',
    label: 'OpenID4VCI 1.0',
    defaults: {
      require_dpop: true,
      dpop_nonce: false,
      require_key_attestation: false,
      require_wallet_attestation: false,
      strict: false,
    },
  },
  // HAIP 1.0 Sections 4 to 7: DPoP with server nonces (H-04), wallet attestation (H-12, WA-14), key
  // attestation (H-14), ES256 (H-18), x5c signers and no pre-1.0 dialects (strict).
  'haip-1.0': {
    id: 'haip-1.0',
    label: 'HAIP 1.0',
    defaults: {
      require_dpop: true,
      dpop_nonce: true,
      require_key_attestation: {},
      require_wallet_attestation: true,
      strict: true,
      algs: ['ES256'],
    },
  },
};

export const DEFAULT_PROFILE: ProfileId = 'oid4vci-1.0';

export const profileOf = (options: SessionOptions): Profile => profiles[options.profile ?? DEFAULT_PROFILE];

const range = (prefix: string, from: number, to: number): RuleId[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `${prefix}-${String(from + i).padStart(2, '0')}` as RuleId);

/**
 * The rules a wallet runs through in this session, given its profile and demands: the report
 * lists those it never reached as not exercised (e.g. no notification, no key attestation).
 */
export function expectedRules(session: Session): RuleId[] {
  const o = session.options;
  const rules: RuleId[] = ['TOK-01', 'TOK-02'];
  if (o.pre_authorized !== false) rules.push('TOK-03', 'TOK-04', o.tx_code ? 'TOK-07' : 'TOK-06');
  // The authorization code flow: PAR, the authorization endpoint and the code exchange.
  if (o.authorization_code)
    rules.push(
      'PAR-01',
      'PAR-04',
      'PAR-05',
      'PAR-06',
      'PAR-07',
      'PAR-08',
      'AUTH-01',
      'AUTH-02',
      'TOK-09',
      'TOK-10',
      'TOK-11',
      'TOK-12',
    );
  if (o.authorization_code && o.require_dpop) rules.push('PAR-12', 'TOK-15');
  if (o.require_attestation_challenge) rules.push('WA-09');
  if (o.max_attestation_age_seconds !== undefined) rules.push('WA-10');
  rules.push(
    'CRED-01',
    'CRED-02',
    'CRED-03',
    'CRED-04',
    'CRED-06',
    'CRED-10',
    'CRED-11',
    'CRED-12',
    'CRED-13',
    'CRED-14',
    'CRED-15',
    'CRED-17',
  );
  rules.push(...range('PRF', 1, 10), 'PRF-14');
  if (o.require_dpop) rules.push('TOK-13', ...range('DPOP', 1, 12), ...(o.dpop_nonce ? (['DPOP-13'] as RuleId[]) : []));
  if (o.require_key_attestation !== false) rules.push(...range('KA', 1, 7), 'PRF-12');
  if (o.require_wallet_attestation) rules.push(...range('WA', 1, 8));
  if (session.credential_configuration_ids.some((id) => id.endsWith('_deferred'))) rules.push('DEF-02', 'DEF-03', 'DEF-08');
  rules.push('NOT-01', 'NOT-02', 'NOT-03', 'NOT-04');
  return rules;
}
