// Status List Tokens (draft-ietf-oauth-status-list-14 Sections 5, 8; FMT-SD-08, H-15) and W3C
// Bitstring Status List credentials, served from the entries as they are now. A fetch is written
// into the logs of the sessions whose credentials the list covers, so testers see who checked.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ProtocolError } from '../diagnostics/index.ts';
import { issuerContextFor } from '../issuance/issuer-context.ts';
import { bitstringStatusList, STATUS_LIST_PATH, statusListUri, statusName, tokenStatusList } from '../issuance/status.ts';
import { BITSTRING_STATUS_LIST_MEDIA_TYPE, signBitstringStatusListCredential } from '../lifecycle/bitstring-status-credential.ts';
import type { BitstringStatusPurpose } from '../lifecycle/bitstring-status-list.ts';
import { STATUS_LIST_CWT_MEDIA_TYPE, signStatusListCwt } from '../lifecycle/status-list-cwt.ts';
import { STATUS_LIST_JWT_MEDIA_TYPE, signStatusListJwt } from '../lifecycle/status-list-jwt.ts';
import type { StatusEntry, StatusListRecord } from '../store/repos/status-lists.ts';
import type { AppDeps } from './deps.ts';

/** Section 5.1 ttl: a verifier refetches after a minute, so a tester's revocation shows soon. */
export const STATUS_LIST_TTL_S = 60;
/** Section 5.1 exp: a day; past it a verifier must not use a cached copy at all. */
export const STATUS_LIST_VALIDITY_S = 86_400;
/** Sessions a fetch is written into at most (the most recently changed entries first). */
const LOGGED_ENTRIES = 500;
const LOGGED_SESSIONS = 20;

type ListRoute = { Params: { listId: string; purpose?: string } };

/** Section 8.1: the RP names the form in Accept; without it the list's own form. */
function tokenForm(request: FastifyRequest, list: StatusListRecord): 'jwt' | 'cwt' {
  const accept = String(request.headers.accept ?? '').toLowerCase();
  if (accept.includes(STATUS_LIST_CWT_MEDIA_TYPE) && !accept.includes(STATUS_LIST_JWT_MEDIA_TYPE)) return 'cwt';
  if (accept.includes(STATUS_LIST_JWT_MEDIA_TYPE) && !accept.includes(STATUS_LIST_CWT_MEDIA_TYPE)) return 'jwt';
  return list.kind === 'token-cwt' ? 'cwt' : 'jwt';
}

async function logFetch(
  deps: AppDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  list: StatusListRecord,
  uri: string,
  form: string,
) {
  const entries = await deps.store.statusLists.handedOutEntries(list.id, LOGGED_ENTRIES);
  const bySession = new Map<string, StatusEntry[]>();
  for (const entry of entries) {
    if (!bySession.has(entry.session_id) && bySession.size >= LOGGED_SESSIONS) continue;
    bySession.set(entry.session_id, [...(bySession.get(entry.session_id) ?? []), entry]);
  }
  const sessions = [...bySession].map(([sessionId, own]) => ({
    sessionId,
    subject: 'Status list fetched',
    facts: {
      status_list: uri,
      form,
      note: 'A verifier or wallet fetched the status list that holds these credentials of this session.',
      credentials: own.map((e) => ({ credential_id: e.credential_id, idx: e.idx, status: statusName(e.status) })),
    },
  }));
  await request.trail.writeToSessions(deps.store, reply, 200, sessions);
}

export function statusListRoutes(deps: AppDeps) {
  const signer = deps.issuerKey;
  const cacheHeaders = (reply: FastifyReply) =>
    reply.header('cache-control', `public, max-age=${STATUS_LIST_TTL_S}`).header('vary', 'Accept');

  return async function statusLists(app: FastifyInstance): Promise<void> {
    app.get<ListRoute>(`${STATUS_LIST_PATH}/:listId`, { config: { endpoint: STATUS_LIST_PATH } }, async (request, reply) => {
      const list = await deps.store.statusLists.getList(request.params.listId);
      if (!list || list.kind === 'bitstring')
        throw new ProtocolError('HTTP.not_found', `no status list "${request.params.listId}"`);
      const uri = statusListUri(deps.config.publicUrl, list.id);
      const statusList = await tokenStatusList(deps.store, list);
      const options = { uri, now: deps.now(), ttlSeconds: STATUS_LIST_TTL_S, validForSeconds: STATUS_LIST_VALIDITY_S };
      const form = tokenForm(request, list);
      const body =
        form === 'cwt'
          ? Buffer.from(signStatusListCwt(statusList, options, signer))
          : await signStatusListJwt(statusList, options, signer);
      await logFetch(deps, request, reply, list, uri, `statuslist+${form}`);
      return cacheHeaders(reply)
        .type(form === 'cwt' ? STATUS_LIST_CWT_MEDIA_TYPE : STATUS_LIST_JWT_MEDIA_TYPE)
        .send(body);
    });

    app.get<ListRoute>(
      `${STATUS_LIST_PATH}/:listId/:purpose`,
      { config: { endpoint: STATUS_LIST_PATH } },
      async (request, reply) => {
        const { listId, purpose } = request.params;
        const list = await deps.store.statusLists.getList(listId);
        if (list?.kind !== 'bitstring' || (purpose !== 'revocation' && purpose !== 'suspension')) {
          throw new ProtocolError('HTTP.not_found', `no bitstring status list "${listId}/${purpose}"`);
        }
        const url = statusListUri(deps.config.publicUrl, list.id, purpose as BitstringStatusPurpose);
        const bitstring = await bitstringStatusList(deps.store, list, purpose as BitstringStatusPurpose);
        const options = {
          url,
          issuer: issuerContextFor(deps.config.publicUrl).issuer,
          purpose: purpose as BitstringStatusPurpose,
          now: deps.now(),
          validForSeconds: STATUS_LIST_VALIDITY_S,
          ttlSeconds: STATUS_LIST_TTL_S,
        };
        const body = await signBitstringStatusListCredential(bitstring, options, signer);
        await logFetch(deps, request, reply, list, url, `BitstringStatusListCredential (${purpose})`);
        return cacheHeaders(reply).type(BITSTRING_STATUS_LIST_MEDIA_TYPE).send(body);
      },
    );
  };
}
