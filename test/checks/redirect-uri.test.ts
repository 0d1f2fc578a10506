// checkRedirectUri (PAR-06) and checkTokenRedirectUri (TOK-10): wallet redirect URIs as RFC 8252
// native apps use them, and the exact match at the token endpoint (RFC 6749 Section 4.1.3).
import { describe, it } from 'node:test';
import { checkRedirectUri, checkTokenRedirectUri } from '../../src/checks/redirect-uri.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { asChecked, assertWarning } from './finding-helpers.ts';
import { assertFinding } from './jws-helpers.ts';

describe('checkRedirectUri', () => {
  const rows: { name: string; uri: string | undefined; id: DiagnosticId | null; warn?: DiagnosticId }[] = [
    { name: 'claimed https URL', uri: 'https://wallet.example/cb', id: null },
    { name: 'https URL with a query', uri: 'https://wallet.example/cb?flow=vci', id: null },
    { name: 'loopback IPv4 with port', uri: 'http://127.0.0.1:51004/cb', id: null },
    { name: 'loopback IPv6 with port', uri: 'http://[::1]:51004/cb', id: null },
    { name: 'localhost is accepted with a warning', uri: 'http://localhost:8080/cb', id: null, warn: 'PAR-06.localhost' },
    { name: 'custom scheme with authority (EUDI wallet)', uri: 'eudi-openid4ci://authorize', id: null },
    { name: 'private-use reverse-DNS scheme', uri: 'com.example.wallet:/oauth2redirect', id: null },
    { name: 'upper-case https scheme', uri: 'HTTPS://wallet.example/cb', id: null },
    { name: 'redirect_uri missing', uri: undefined, id: 'PAR-06.missing' },
    { name: 'http on a public host', uri: 'http://wallet.example/cb', id: 'PAR-06.http' },
    { name: 'http on another 127/8 address than the literal 127.0.0.1', uri: 'http://127.0.0.2/cb', id: 'PAR-06.http' },
    { name: 'http on a host that only starts with localhost', uri: 'http://localhost.evil.example/cb', id: 'PAR-06.http' },
    { name: 'fragment', uri: 'https://wallet.example/cb#done', id: 'PAR-06.fragment' },
    { name: 'empty fragment', uri: 'https://wallet.example/cb#', id: 'PAR-06.fragment' },
    { name: 'javascript: scheme', uri: 'javascript:alert(document.cookie)', id: 'PAR-06.scheme' },
    { name: 'javascript: scheme in upper case', uri: 'JavaScript:alert(1)', id: 'PAR-06.scheme' },
    { name: 'data: scheme', uri: 'data:text/html,<script>alert(1)</script>', id: 'PAR-06.scheme' },
    { name: 'file: scheme', uri: 'file:///etc/passwd', id: 'PAR-06.scheme' },
    { name: 'relative path', uri: '/cb', id: 'PAR-06.syntax' },
    { name: 'host without scheme', uri: 'wallet.example/cb', id: 'PAR-06.syntax' },
    { name: 'leading space', uri: ' https://wallet.example/cb', id: 'PAR-06.syntax' },
    { name: 'space inside', uri: 'https://wallet.example/c b', id: 'PAR-06.syntax' },
    { name: 'https without authority', uri: 'https:/cb', id: 'PAR-06.syntax' },
  ];
  for (const row of rows) {
    it(`PAR-06: ${row.name}`, () => {
      const result = asChecked(checkRedirectUri(row.uri));
      assertFinding(result, row.id, 'PAR-06');
      if (row.warn) assertWarning(result, row.warn);
    });
  }
});

describe('checkTokenRedirectUri', () => {
  const PUSHED = 'https://wallet.example/cb?flow=vci';
  const rows: { name: string; sent: string | undefined; id: DiagnosticId | null }[] = [
    { name: 'identical', sent: PUSHED, id: null },
    { name: 'redirect_uri missing', sent: undefined, id: 'TOK-10.missing' },
    { name: 'trailing slash added', sent: 'https://wallet.example/cb/?flow=vci', id: 'TOK-10.mismatch' },
    { name: 'host case differs', sent: 'https://Wallet.example/cb?flow=vci', id: 'TOK-10.mismatch' },
    { name: 'query dropped', sent: 'https://wallet.example/cb', id: 'TOK-10.mismatch' },
    { name: 'percent-encoded character', sent: 'https://wallet.example/%63b?flow=vci', id: 'TOK-10.mismatch' },
    { name: 'explicit default port', sent: 'https://wallet.example:443/cb?flow=vci', id: 'TOK-10.mismatch' },
  ];
  for (const row of rows) {
    it(`TOK-10: ${row.name}`, () => assertFinding(asChecked(checkTokenRedirectUri(row.sent, PUSHED)), row.id, 'TOK-10'));
  }
});
