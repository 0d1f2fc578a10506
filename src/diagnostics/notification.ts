// Notification endpoint (OID4VCI 1.0 Section 11).
import { type Entry, type Rule, VCI } from './define.ts';

export const notificationRules = {
  'NOT-01': { title: 'Notification request is a JSON object', spec_ref: `${VCI} Sections 11.1, 11.3` },
  'NOT-02': { title: 'notification_id present and issued to this token', spec_ref: `${VCI} Sections 11.1, 11.3` },
  'NOT-03': { title: 'event is one of the three defined values', spec_ref: `${VCI} Sections 11.1, 11.3` },
  'NOT-04': { title: 'event_description uses the allowed characters', spec_ref: `${VCI} Section 11.1` },
} satisfies Record<string, Rule>;

export const notificationDiagnostics = {
  'NOT-01.malformed': {
    rule: 'NOT-01',
    error: 'invalid_notification_request',
    status: 400,
    title: 'Notification request is not a JSON object',
    reason: 'The notification request must be a JSON object sent with Content-Type application/json.',
    help: 'Send {"notification_id": "...", "event": "credential_accepted"}.',
    spec_ref: `${VCI} Sections 11.1, 11.3`,
  },
  'NOT-02.missing': {
    rule: 'NOT-02',
    error: 'invalid_notification_request',
    status: 400,
    title: 'notification_id missing',
    reason: 'notification_id is required and must be a string.',
    help: 'Send the notification_id from the credential response.',
    spec_ref: `${VCI} Section 11.1`,
  },
  'NOT-02.unknown': {
    rule: 'NOT-02',
    error: 'invalid_notification_id',
    status: 400,
    title: 'Unknown notification_id',
    reason: 'This notification_id was not issued for the credentials of this access token.',
    help: 'Send the notification_id returned together with the credentials, with the access token of that flow.',
    spec_ref: `${VCI} Sections 11.1, 11.3`,
  },
  'NOT-03': {
    rule: 'NOT-03',
    error: 'invalid_notification_request',
    status: 400,
    title: 'Invalid notification event',
    reason:
      'event is required and must be exactly credential_accepted, credential_failure or credential_deleted (case-sensitive).',
    help: 'Use one of the three event values; a partly failed batch is credential_failure.',
    spec_ref: `${VCI} Sections 11.1, 11.3`,
  },
  'NOT-04': {
    rule: 'NOT-04',
    error: 'invalid_notification_request',
    status: 400,
    title: 'Invalid event_description',
    reason: 'event_description must be a string of ASCII characters 0x20-0x7E without " and \\.',
    help: 'Send a short plain-ASCII description without quotes and backslashes.',
    spec_ref: `${VCI} Section 11.1`,
  },
} satisfies Record<string, Entry>;
