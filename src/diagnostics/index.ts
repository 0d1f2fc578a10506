/**
 * The catalogue: every rule the playground checks and every way a request can fail or warn. One
 * entry drives the wallet's error response (error code, HTTP status), the log entry the tester
 * reads (reason, help, spec_ref), the conformance report and the /diagnostics page. Rule ids are
 * those of the project's spec checklist; one file per area holds their rules and diagnostics.
 */

import type { Finding } from '../checks/finding.ts';
import type { Repositories } from '../store/store.ts';
import { authorizationDiagnostics, authorizationRules } from './authorization.ts';
import { consoleDiagnostics } from './console.ts';
import { credentialDiagnostics, credentialRules } from './credential.ts';
import { deferredDiagnostics, deferredRules } from './deferred.ts';
import type { Diagnostic, Entry, Rule } from './define.ts';
import { dpopDiagnostics, dpopRules } from './dpop.ts';
import { draft13Diagnostics, draft13Rules } from './draft13.ts';
import { encryptionDiagnostics, encryptionRules } from './encryption.ts';
import { holderKeyDiagnostics } from './holder-keys.ts';
import { httpDiagnostics } from './http.ts';
import { keyAttestationDiagnostics, keyAttestationRules } from './key-attestation.ts';
import { notificationDiagnostics, notificationRules } from './notification.ts';
import { offerDiagnostics, offerRules } from './offer.ts';
import { proofDiagnostics, proofRules } from './proof.ts';
import { tokenDiagnostics, tokenRules } from './token.ts';
import { tokenGrantDiagnostics, tokenGrantRules } from './token-grants.ts';
import { walletAttestationDiagnostics, walletAttestationRules } from './wallet-attestation.ts';

export type { Diagnostic, Rule } from './define.ts';

const entries = {
  ...httpDiagnostics,
  ...consoleDiagnostics,
  ...offerDiagnostics,
  ...authorizationDiagnostics,
  ...tokenDiagnostics,
  ...tokenGrantDiagnostics,
  ...dpopDiagnostics,
  ...credentialDiagnostics,
  ...proofDiagnostics,
  ...holderKeyDiagnostics,
  ...keyAttestationDiagnostics,
  ...walletAttestationDiagnostics,
  ...encryptionDiagnostics,
  ...deferredDiagnostics,
  ...notificationDiagnostics,
  ...draft13Diagnostics,
} satisfies Record<string, Entry>;

const ruleTable = {
  ...offerRules,
  ...authorizationRules,
  ...tokenRules,
  ...tokenGrantRules,
  ...dpopRules,
  ...credentialRules,
  ...proofRules,
  ...keyAttestationRules,
  ...walletAttestationRules,
  ...encryptionRules,
  ...deferredRules,
  ...notificationRules,
  ...draft13Rules,
} satisfies Record<string, Rule>;

export type DiagnosticId = keyof typeof entries;
export type RuleId = keyof typeof ruleTable;

export const catalogue: readonly Diagnostic[] = Object.entries(entries).map(([id, entry]) => ({ id, ...entry }));
export const rules: ReadonlyArray<Rule & { id: RuleId }> = Object.entries(ruleTable).map(([id, rule]) => ({
  id: id as RuleId,
  ...rule,
}));

export function diagnostic(id: DiagnosticId): Diagnostic {
  return { id, ...entries[id] };
}

export function rule(id: RuleId): Rule & { id: RuleId } {
  return { id, ...ruleTable[id] };
}

export const isRuleId = (value: string): value is RuleId => Object.hasOwn(ruleTable, value);

/** The checklist rule a diagnostic belongs to; null for plain HTTP and playground API problems. */
export function ruleOf(id: DiagnosticId): RuleId | null {
  const owner = entries[id].rule;
  return isRuleId(owner) ? owner : null;
}

export interface RejectionContext {
  /** Every rule the refusing check evaluated, its failure last. */
  findings?: readonly Finding[];
  /** What was checked, e.g. "Key proof 0", and where its JWT is in the request (see JwtRef). */
  subject?: string;
  jwt?: string;
  /** What the check established before it failed (chain steps, problems), for the tester. */
  facts?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** Extra members of the error response body, e.g. the list of problems of an API request. */
  response?: Record<string, unknown>;
  /** Stores what the error response hands out (a fresh DPoP nonce or challenge), with the rejection's records. */
  commit?: (tx: Repositories) => Promise<void>;
}

/** A rejection: one diagnostic plus what is specific to this request. */
export class ProtocolError extends Error {
  readonly diagnostic: Diagnostic;
  readonly detail: string | undefined;
  readonly context: RejectionContext;

  constructor(id: DiagnosticId, detail?: string, context: RejectionContext = {}) {
    const d = diagnostic(id);
    super(detail ? `${d.title}: ${detail}` : d.title);
    this.diagnostic = d;
    this.detail = detail;
    this.context = context;
  }

  get headers(): Record<string, string> {
    return this.context.headers ?? {};
  }
}

/** The ProtocolError for a check's failure, carrying the check's findings. */
export function rejected(
  checked: { failure: Finding & { diagnostic: DiagnosticId }; findings: readonly Finding[] },
  context: Omit<RejectionContext, 'findings'> = {},
): ProtocolError {
  return new ProtocolError(checked.failure.diagnostic, checked.failure.detail, { ...context, findings: checked.findings });
}

/** error_description allows only %x20-21 / %x23-5B / %x5D-7E (RFC 6749 Section 5.2). */
export function errorDescription(text: string): string {
  return text.replace(/[^\x20-\x7e]|["\\]/g, "'").slice(0, 300);
}
