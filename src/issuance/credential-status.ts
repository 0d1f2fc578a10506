// Revoke, suspend, reinstate: the tester sets the status of one issued credential (page or API).
// The entry, the session event and the tester record change in one transaction.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProtocolError } from '../diagnostics/index.ts';
import type { AppDeps } from '../protocol/deps.ts';
import type { CredentialStatusRow } from '../store/repos/status-lists.ts';
import { STATUS_NAMES, STATUS_VALUE, type StatusName, statusListUri, statusName } from './status.ts';

export const isStatusName = (value: unknown): value is StatusName =>
  typeof value === 'string' && (STATUS_NAMES as readonly string[]).includes(value);

/** A credential as GET /api/sessions/<id> lists it. */
export function credentialStatusView(publicUrl: string, row: CredentialStatusRow) {
  const status_list =
    row.list_id === null || row.idx === null
      ? null
      : row.kind === 'bitstring'
        ? {
            uri: statusListUri(publicUrl, row.list_id),
            idx: row.idx,
            revocation: statusListUri(publicUrl, row.list_id, 'revocation'),
            suspension: statusListUri(publicUrl, row.list_id, 'suspension'),
          }
        : { uri: statusListUri(publicUrl, row.list_id), idx: row.idx };
  return {
    id: row.id,
    credential_configuration_id: row.credential_configuration_id,
    format: row.format,
    status: row.status === null ? null : statusName(row.status),
    status_list,
  };
}

/** Sets the status; returns the previous one. Throws API.status.* for an unknown credential. */
export async function setCredentialStatus(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { sessionId: string; credentialId: string; status: StatusName; source: 'api' | 'form' },
): Promise<{ previous: StatusName | 'unknown'; status: StatusName }> {
  const { sessionId, credentialId, status, source } = input;
  request.trail.sessionId = sessionId;
  const now = deps.now();
  return request.trail.commit(deps.store, reply, 200, async (tx) => {
    const entry = await tx.statusLists.entryOfCredential(sessionId, credentialId);
    if (!entry) throw new ProtocolError('API.status.unknown_credential', `credential "${credentialId}"`);
    await tx.statusLists.setStatus(sessionId, credentialId, STATUS_VALUE[status], now);
    const list = await tx.statusLists.getList(entry.list_id);
    const previous = statusName(entry.status);
    const data = {
      credential_id: credentialId,
      status,
      previous,
      status_list: { uri: statusListUri(deps.config.publicUrl, entry.list_id), idx: entry.idx },
      ...(list ? { list_kind: list.kind } : {}),
      source,
    };
    await request.trail.event(tx, sessionId, 'credential_status_changed', data, now);
    request.trail.tester('credential_status_set', data);
    return { previous, status };
  });
}
