// The session page's Issued credentials section: every credential handed out, decoded by its format.
import { decodeCredential } from '../formats/index.ts';
import { credentialStatusView } from '../issuance/credential-status.ts';
import type { Store } from '../store/index.ts';
import { type MdocView, mdocView } from './credential-mdoc-view.ts';
import { prettyJson, type TimeView, timeView } from './format.ts';
import type { ExtraSection } from './session-view.ts';

export interface IssuedCredentialView {
  id: string;
  configurationId: string;
  format: string;
  holderJkt: string;
  created: TimeView;
  /** mso_mdoc credentials get their own view; the others show as decoded JSON. */
  mdoc: MdocView | null;
  json: string;
  /** The status list entry and the buttons that change it; null for credentials issued before status lists. */
  status: { name: string; uri: string; idx: number; action: string; buttons: Array<{ value: string; label: string }> } | null;
}

export interface StatusControls {
  csrfToken: string;
  basePath: string;
  publicUrl: string;
}

const BUTTONS = { valid: 'Reinstate', invalid: 'Revoke', suspended: 'Suspend' } as const;

/** A long session lists its newest credentials; each one is also in the log entry that issued it. */
const SHOWN = 20;

export async function issuedCredentialsSection(
  store: Store,
  sessionId: string,
  now: number,
  controls: StatusControls,
): Promise<ExtraSection[]> {
  const [issued, total, statuses] = await Promise.all([
    store.credentials.recentForSession(sessionId, SHOWN),
    store.credentials.countForSession(sessionId),
    store.statusLists.recentCredentialsOfSession(sessionId, SHOWN),
  ]);
  if (issued.length === 0) return [];
  const statusOf = new Map(statuses.map((row) => [row.id, credentialStatusView(controls.publicUrl, row)]));
  const credentials = issued.map((row): IssuedCredentialView => {
    const decoded = decodeCredential(row.format, row.credential);
    const view = statusOf.get(row.id);
    const status =
      view?.status && view.status_list
        ? {
            name: view.status,
            uri: view.status_list.uri,
            idx: view.status_list.idx,
            action: `${controls.basePath}/sessions/${sessionId}/credentials/${row.id}/status`,
            buttons: Object.entries(BUTTONS)
              .filter(([value]) => value !== view.status)
              .map(([value, label]) => ({ value, label })),
          }
        : null;
    return {
      id: row.id,
      status,
      configurationId: row.credential_configuration_id,
      format: row.format,
      holderJkt: row.holder_jkt ?? '',
      created: timeView(row.created_at, now),
      mdoc: row.format === 'mso_mdoc' ? mdocView(decoded) : null,
      json: prettyJson(decoded),
    };
  });
  return [{ partial: '../partials/issued-credentials', data: { credentials, total, csrfToken: controls.csrfToken } }];
}
