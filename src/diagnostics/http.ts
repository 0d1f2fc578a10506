// Plain HTTP problems: unknown paths, methods, body sizes and media types.
import { type Entry, VCI } from './define.ts';

export const httpDiagnostics = {
  'HTTP.not_found': { rule: '-', error: 'not_found', status: 404, title: 'No such endpoint', reason: 'The path does not match any endpoint of this issuer.', help: 'Take endpoint URLs from the issuer metadata at /.well-known/openid-credential-issuer instead of building them by hand.', spec_ref: `${VCI} Section 12.2.4` },
  'HTTP.method_not_allowed': { rule: '-', error: 'invalid_request', status: 405, title: 'HTTP method not allowed', reason: 'This endpoint only accepts the method listed in the Allow header.', help: 'The token, nonce and credential endpoints take POST; metadata and offers take GET.', spec_ref: `${VCI} Sections 6.1, 7.1, 8` },
  'HTTP.body_too_large': { rule: '-', error: 'invalid_request', status: 413, title: 'Request body too large', reason: 'The request body exceeds the 64 KiB this issuer accepts.', help: 'Send only the parameters the spec defines; proofs and attestations are a few kilobytes at most.', spec_ref: 'RFC 9110 Section 15.5.14' },
  'HTTP.malformed_body': { rule: '-', error: 'invalid_request', status: 400, title: 'Request body could not be parsed', reason: 'The body does not match its Content-Type.', help: 'Send well-formed JSON with application/json, or a form with application/x-www-form-urlencoded, as the endpoint requires.', spec_ref: 'RFC 6749 Section 5.2' },
  'HTTP.unsupported_media_type': { rule: '-', error: 'invalid_request', status: 415, title: 'Unsupported Content-Type', reason: 'The endpoint does not accept this Content-Type.', help: 'Use application/json for JSON endpoints and application/x-www-form-urlencoded for the token endpoint.', spec_ref: 'RFC 9110 Section 15.5.16' },
  'HTTP.internal': { rule: '-', error: 'server_error', status: 500, title: 'Internal error', reason: 'The issuer failed while handling a well-formed request. This is a bug in the playground, not in the wallet.', help: 'Retry; if it persists, report it with the session id.', spec_ref: 'RFC 6749 Section 5.2' },
} satisfies Record<string, Entry>;
