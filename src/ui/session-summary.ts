// How a session's setup reads in the list and on its page: grant, configurations, and what the offer demands.
import type { Session } from '../domain/session.ts';
import { profileOf } from '../issuance/profiles.ts';

export function grantLabel(session: Session): string {
  const grant = session.grant_type.split(':').at(-1) ?? session.grant_type;
  const tx = session.options.tx_code;
  const pre =
    session.options.pre_authorized === false ? [] : [tx ? `${grant} + tx_code (${tx.input_mode}, ${tx.length})` : grant];
  const code = session.options.authorization_code;
  if (!code) return pre.join(' + ');
  const label = `authorization_code (${code.wallet_initiated ? 'wallet-initiated, ' : ''}approval ${code.approval})`;
  return [...(session.grant_type.endsWith('pre-authorized_code') ? pre : []), label].join(' + ');
}

/** The offer's demands on the wallet, one short phrase each. */
export function demandsOf(session: Session): string[] {
  const o = session.options;
  const profile = profileOf(o);
  const demands: string[] = [`profile ${profile.label}${o.overrides?.length ? ` (overridden: ${o.overrides.join(', ')})` : ''}`];
  if (o.algs) demands.push(`algorithms: ${o.algs.join(', ')}`);
  demands.push(o.require_dpop ? 'DPoP-bound token' : 'Bearer token (no DPoP)');
  if (o.dpop_nonce) demands.push('server DPoP nonce');
  if (o.tx_code) demands.push(`tx_code: ${o.tx_code.length} ${o.tx_code.input_mode === 'numeric' ? 'digits' : 'characters'}`);
  if (o.require_key_attestation) {
    const values = [...(o.require_key_attestation.key_storage ?? []), ...(o.require_key_attestation.user_authentication ?? [])];
    demands.push(values.length > 0 ? `key attestation (${values.join(', ')})` : 'key attestation');
  }
  if (o.require_wallet_attestation) demands.push('wallet attestation');
  if (o.strict) demands.push('strict (dialect warnings are rejections)');
  if (o.deferred) {
    const after = [
      o.deferred.ready_after_seconds !== undefined ? `${o.deferred.ready_after_seconds} s` : '',
      o.deferred.ready_after_polls !== undefined ? `${o.deferred.ready_after_polls} polls` : '',
    ].filter(Boolean);
    demands.push(
      `deferred: ${o.deferred.outcome === 'deny' ? 'refuse' : 'issue'}${after.length ? ` after ${after.join(' or ')}` : ''}`,
    );
  }
  if (Object.keys(o.claims).length > 0) demands.push(`custom claims for ${Object.keys(o.claims).join(', ')}`);
  if (o.subject_id) demands.push(`subject ${o.subject_id}`);
  if (o.trust_anchors.length > 0) demands.push(`${o.trust_anchors.length} offer trust anchor(s)`);
  return demands;
}
