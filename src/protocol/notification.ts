// OID4VCI 1.0 Section 11: notification endpoint (NOT-01..06).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Finding, failure } from '../checks/finding.ts';
import { isObject } from '../checks/jose-helpers.ts';
import { type DiagnosticId, ProtocolError } from '../diagnostics/index.ts';
import { type NotificationEvent, notificationEvents } from '../domain/issuance.ts';
import { authorizeResourceRequest } from './access-token-step.ts';
import type { AppDeps } from './deps.ts';
import { mediaType, rejectOtherMethods } from './post-only.ts';

const DESCRIPTION_CHARSET = /^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/;

const SUBJECT = 'Notification request';

/** NOT-01..04: the notification request's members, with a finding for each rule. */
function parseNotification(request: FastifyRequest): {
  notificationId: string;
  event: NotificationEvent;
  description: string | null;
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const refuse = (id: DiagnosticId, detail?: string): never => {
    throw new ProtocolError(id, detail, { findings: [...findings, failure(id, detail)], subject: SUBJECT });
  };
  const body = request.body;
  if (mediaType(request) !== 'application/json')
    refuse('NOT-01.malformed', `Content-Type ${request.headers['content-type'] ?? '(none)'}`);
  if (!isObject(body)) return refuse('NOT-01.malformed', 'the body is not a JSON object');
  findings.push({ rule: 'NOT-01', outcome: 'pass' });
  if (typeof body.notification_id !== 'string' || body.notification_id === '') return refuse('NOT-02.missing');
  if (!notificationEvents.includes(body.event as NotificationEvent)) refuse('NOT-03', `event is ${JSON.stringify(body.event)}`);
  findings.push({ rule: 'NOT-03', outcome: 'pass' });
  const description = body.event_description;
  if (description !== undefined && (typeof description !== 'string' || !DESCRIPTION_CHARSET.test(description))) {
    refuse(
      'NOT-04',
      typeof description === 'string' ? 'contains characters outside %x20-21 / %x23-5B / %x5D-7E' : 'not a string',
    );
  }
  findings.push({ rule: 'NOT-04', outcome: 'pass' });
  return {
    notificationId: body.notification_id,
    event: body.event as NotificationEvent,
    description: (description as string | undefined) ?? null,
    findings,
  };
}

export function notificationRoutes(deps: AppDeps) {
  const { store } = deps;
  return async function notification(app: FastifyInstance): Promise<void> {
    app.post(
      '/notification',
      {
        config: {
          endpoint: '/notification',
          resource: true,
          malformedBody: 'NOT-01.malformed',
          wrongMediaType: 'NOT-01.malformed',
        },
      },
      async (request, reply) => {
        const { session } = await authorizeResourceRequest(request, deps, '/notification');
        const { notificationId, event, description, findings } = parseNotification(request);
        const record = await store.notifications.get(notificationId);
        if (!record || record.session_id !== session.id) {
          throw new ProtocolError('NOT-02.unknown', undefined, {
            findings: [...findings, failure('NOT-02.unknown')],
            subject: SUBJECT,
          });
        }
        findings.push({ rule: 'NOT-02', outcome: 'pass' });
        // NOT-05: a repeated identical notification succeeds without a second event.
        const repeated = record.event === event && record.event_description === description;
        request.trail.check(SUBJECT, findings, { facts: { notification_id: notificationId, event, repeated } });
        const now = deps.now();
        await request.trail.commit(store, reply, 204, async (tx) => {
          if (repeated) return;
          await tx.notifications.record(notificationId, event, description, now);
          await tx.sessions.advance(session.id, event, now);
          const data = {
            notification_id: notificationId,
            credential_configuration_id: record.credential_configuration_id,
            event_description: description,
          };
          await request.trail.event(tx, session.id, event, data, now);
        });
        return reply.code(204).header('cache-control', 'no-store').send();
      },
    );
    rejectOtherMethods(app, '/notification', '/notification');
  };
}
