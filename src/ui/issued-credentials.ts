// The session page's Issued credentials section: every credential handed out, decoded by its format.
import { decodeCredential } from '../formats/index.ts';
import type { Store } from '../store/index.ts';
import { mdocView, type MdocView } from './credential-mdoc-view.ts';
import { prettyJson, timeView, type TimeView } from './format.ts';
import type { ExtraSection } from './session-view.ts';

export interface IssuedCredentialView {
  configurationId: string;
  format: string;
  holderJkt: string;
  created: TimeView;
  /** mso_mdoc credentials get their own view; the others show as decoded JSON. */
  mdoc: MdocView | null;
  json: string;
}

/** A long session lists its newest credentials; each one is also in the log entry that issued it. */
const SHOWN = 20;

export async function issuedCredentialsSection(store: Store, sessionId: string, now: number): Promise<ExtraSection[]> {
  const [issued, total] = await Promise.all([store.credentials.recentForSession(sessionId, SHOWN), store.credentials.countForSession(sessionId)]);
  if (issued.length === 0) return [];
  const credentials = issued.map((row): IssuedCredentialView => {
    const decoded = decodeCredential(row.format, row.credential);
    return {
      configurationId: row.credential_configuration_id,
      format: row.format,
      holderJkt: row.holder_jkt ?? '',
      created: timeView(row.created_at, now),
      mdoc: row.format === 'mso_mdoc' ? mdocView(decoded) : null,
      json: prettyJson(decoded),
    };
  });
  return [{ partial: '../partials/issued-credentials', data: { credentials, total } }];
}
