// Decoded JWTs of a log entry (DPoP proofs, key proofs, attestations, issued credentials) with the findings of the checks on them.
import type { Finding } from '../checks/finding.ts';
import { isRecord, prettyJson, type TimeView, timeView } from './format.ts';

export interface CheckView {
  rule: string;
  outcome: 'pass' | 'fail' | 'warn';
  detail: string;
  href: string;
}

export interface DecodedToken {
  header?: unknown;
  payload?: unknown;
  disclosures?: unknown;
  /** Anything other than a JWT (a decoded mdoc), shown as one JSON block. */
  decoded?: unknown;
}

export interface JwtView {
  label: string;
  header: string;
  payload: string;
  /** iat, nbf and exp of the payload as readable times. */
  times: Array<{ claim: string; time: TimeView }>;
  disclosures: Array<{ name: string; value: string; salt: string }>;
  checks: CheckView[];
  /** Said instead of a check list when no check ran on this token in this entry. */
  checksNote: string;
  failed: boolean;
}

const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;

export function checkViews(findings: readonly Finding[], diagnosticsHref: string): CheckView[] {
  return findings.map((f) => ({
    rule: f.rule,
    outcome: f.outcome,
    detail: f.detail ?? '',
    href: `${diagnosticsHref}#${f.diagnostic ? encodeURIComponent(f.diagnostic) : `rule-${f.rule}`}`,
  }));
}

function disclosureViews(raw: unknown): JwtView['disclosures'] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((d) => ({
    name: 'name' in d ? String(d.name) : d.undecodable !== undefined ? '(undecodable)' : '(array element)',
    value: d.undecodable !== undefined ? String(d.undecodable) : prettyJson(d.value),
    salt: d.salt === undefined ? '' : String(d.salt),
  }));
}

/** One decoded token and the checks that ran on it. */
export function jwtView(label: string, token: DecodedToken, checks: CheckView[], now: number, checksNote = ''): JwtView {
  const payload = isRecord(token.payload) ? token.payload : {};
  return {
    label,
    header: token.decoded !== undefined ? '' : prettyJson(token.header ?? {}),
    payload: prettyJson(token.decoded ?? token.payload ?? {}),
    times: TIME_CLAIMS.filter((claim) => typeof payload[claim] === 'number').map((claim) => ({
      claim,
      time: timeView((payload[claim] as number) * 1000, now),
    })),
    disclosures: disclosureViews(token.disclosures),
    checks,
    checksNote: checks.length > 0 ? '' : checksNote,
    failed: checks.some((c) => c.outcome === 'fail'),
  };
}
