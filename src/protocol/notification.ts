// OID4VCI 1.0 Section 11: notification endpoint (NOT-01..06).
import type { FastifyInstance } from 'fastify';
import { isObject } from '../checks/jose-helpers.ts';
import { ProtocolError } from '../diagnostics/index.ts';
import { notificationEvents, type NotificationEvent } from '../domain/issuance.ts';
import { authorizeResourceRequest } from './access-token-step.ts';
import type { AppDeps } from './deps.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';

const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

function parseNotification(body: unknown): { notificationId: string; event: NotificationEvent; description: string | null } {
  if (!isObject(body)) throw new ProtocolError('NOT-01.malformed', 'the body is not a JSON object');
  if (typeof body.notification_id !== 'string' || body.notification_id === '') throw new ProtocolError('NOT-02.missing');
  if (!notificationEvents.includes(body.event as NotificationEvent)) throw new ProtocolError('NOT-03', `event is ${JSON.stringify(body.event)}`);
  const description = body.event_description;
  if (description !== undefined && (typeof description !== 'string' || !DESCRIPTION_CHARSET.test(description))) {
    throw new ProtocolError('NOT-04', typeof description === 'string' ? 'contains characters outside %x20-21 / %x23-5B / %x5D-7E' : 'not a string');
  }
  return { notificationId: body.notification_id, event: body.event as NotificationEvent, description: description ?? null };
}

export function notificationRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function notification(app: FastifyInstance): Promise<void> {
    app.post(
      '/notification',
      { config: { endpoint: '/notification', resource: true, malformedBody: 'NOT-01.malformed', wrongMediaType: 'NOT-01.malformed' } },
      async (request, reply) => {
        const { session } = await authorizeResourceRequest(request, deps, '/notification');
        if (mediaType(request) !== 'application/json') throw new ProtocolError('NOT-01.malformed', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
        const { notificationId, event, description } = parseNotification(request.body);
        const record = await store.notifications.get(notificationId);
        if (!record || record.session_id !== session.id) throw new ProtocolError('NOT-02.unknown');

        // NOT-05: a repeated identical notification succeeds without a second event.
        const repeated = record.event === event && record.event_description === description;
        if (!repeated) {
          const now = deps.now();
          await store.transaction(async (tx) => {
            await tx.notifications.record(notificationId, event, description, now);
            await tx.sessions.advance(session.id, event, now);
            await tx.events.add(session.id, event, { notification_id: notificationId, credential_configuration_id: record.credential_configuration_id, event_description: description }, now);
          });
        }
        request.trail.note(event === 'credential_accepted' ? 'info' : 'warn', `Wallet notification: ${event}${repeated ? ' (repeated)' : ''}`, {
          notification_id: notificationId,
          credential_configuration_id: record.credential_configuration_id,
          event_description: description,
        });
        return reply.code(204).header('cache-control', 'no-store').send();
      },
    );
    rejectOtherMethods(app, '/notification', '/notification');
  };
}
