// Decoded JWTs of a log entry (DPoP proofs, key proofs, attestations, issued credentials) with the checks that ran on them.
import { isRecord, prettyJson, timeView, type TimeView } from './format.ts';

export interface CheckView {
  rule: string;
  outcome: 'pass' | 'fail' | 'warn';
  detail: string;
  href: string;
}

export interface JwtView {
  label: string;
  header: string;
  payload: string;
  /** iat, nbf and exp of the payload as readable times. */
  times: Array<{ claim: string; time: TimeView }>;
  disclosures: Array<{ name: string; value: string; salt: string }>;
  checks: CheckView[];
  /** Said instead of a check list when none was recorded on this copy of the token. */
  checksNote: string;
  failed: boolean;
}

const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;

function checkViews(raw: unknown, diagnosticsHref: string): CheckView[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((check) => {
    const rule = String(check.rule ?? '?');
    const outcome = check.outcome === 'fail' || check.outcome === 'warn' ? check.outcome : 'pass';
    return { rule, outcome, detail: typeof check.detail === 'string' ? check.detail : '', href: `${diagnosticsHref}#rule-${rule}` };
  });
}

function disclosureViews(raw: unknown): JwtView['disclosures'] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((d) => ({
    name: 'name' in d ? String(d.name) : d.undecodable !== undefined ? '(undecodable)' : '(array element)',
    value: d.undecodable !== undefined ? String(d.undecodable) : prettyJson(d.value),
    salt: d.salt === undefined ? '' : String(d.salt),
  }));
}

/**
 * One decoded token. Checks come from the token itself, else from the entry (data.checks), else, on an
 * error entry, the failing rule: the tester always sees why a token was accepted or refused.
 */
export function jwtView(
  token: Record<string, unknown>,
  fallbackLabel: string,
  inherited: CheckView[],
  diagnosticsHref: string,
  now: number,
  checksNote = 'Shown as received; the checks on it are in the other entries of the same request.',
): JwtView {
  const payload = isRecord(token.payload) ? token.payload : {};
  const own = checkViews(token.checks, diagnosticsHref);
  const checks = own.length > 0 ? own : inherited;
  return {
    label: typeof token.label === 'string' ? token.label : fallbackLabel,
    header: prettyJson(token.header ?? {}),
    payload: prettyJson(token.payload ?? {}),
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

/** Every token of an entry: data.jwts (proofs, attestations) and data.credentials (issued credentials). */
export function entryJwts(data: Record<string, unknown>, failing: CheckView | undefined, diagnosticsHref: string, now: number): JwtView[] {
  const entryChecks = checkViews(data.checks, diagnosticsHref);
  const inherited = entryChecks.length > 0 ? entryChecks : failing ? [failing] : [];
  const jwts = Array.isArray(data.jwts) ? data.jwts.filter(isRecord) : [];
  const credentials = Array.isArray(data.credentials) ? data.credentials.filter(isRecord) : [];
  return [
    ...jwts.map((jwt, i) => jwtView(jwt, `JWT ${i + 1}`, inherited, diagnosticsHref, now)),
    ...credentials.map((credential, i) =>
      jwtView(credential, `Issued credential ${i + 1}`, [], diagnosticsHref, now, 'Issued by this playground; its x5c chain ends at the CA from /certificates/ca.pem.'),
    ),
  ];
}
