// Credential offers (OID4VCI 1.0 Section 4.1).
import { type Entry, type Rule, VCI } from './define.ts';

export const offerRules = {
  'OFF-04': { title: 'Offer names known, unique credential configurations', spec_ref: `${VCI} Section 4.1.1` },
  'OFF-09': { title: 'Offer by reference is served as plain JSON', spec_ref: `${VCI} Section 4.1.3` },
} satisfies Record<string, Rule>;

export const offerDiagnostics = {
  'OFF-09.unknown': {
    rule: 'OFF-09',
    error: 'not_found',
    status: 404,
    title: 'Unknown credential offer',
    reason: 'No credential offer has this id; the credential_offer_uri is wrong or belongs to another issuer database.',
    help: 'Scan the QR code or link of a freshly created offer.',
    spec_ref: `${VCI} Section 4.1.3`,
  },
} satisfies Record<string, Entry>;
