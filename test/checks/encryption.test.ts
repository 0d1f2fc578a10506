// checkResponseEncryptionParams (ENC-01..03) and checkRequestEncryption (ENC-04). Every row changes
// one thing in valid parameters or a really encrypted request and names the rule it covers.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import {
  checkRequestEncryption,
  checkResponseEncryptionParams,
  type RequestEncryptionOffer,
} from '../../src/checks/encryption.ts';
import type { DiagnosticId } from '../../src/diagnostics/index.ts';
import { generateRequestEncryptionJwk, loadRequestEncryptionKey } from '../../src/lifecycle/encryption-keys.ts';
import { type CredentialResponseEncryptionMetadata, encryptionMetadata } from '../../src/lifecycle/encryption-metadata.ts';
import { assertFinding, type Json, set, without } from './jws-helpers.ts';

const walletKeys = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
const walletJwk: JWK = { ...(await exportJWK(walletKeys.publicKey)), alg: 'ECDH-ES', kid: 'w1' };
const walletPrivateJwk = await exportJWK(walletKeys.privateKey);
const x25519Jwk = {
  ...(await exportJWK((await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true })).publicKey)),
  alg: 'ECDH-ES',
};
const ed25519Jwk = {
  ...(await exportJWK((await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })).publicKey)),
  alg: 'ECDH-ES',
};

const issuerKey = await loadRequestEncryptionKey(await generateRequestEncryptionJwk());
const optional = encryptionMetadata([issuerKey], { required: false });
const required = encryptionMetadata([issuerKey], { required: true });
const noZip: CredentialResponseEncryptionMetadata = {
  ...optional.credential_response_encryption,
  zip_values_supported: undefined,
};

interface ResponseRow {
  rule: string;
  name: string;
  id: DiagnosticId | null;
  /** Changes the valid {jwk, enc} parameters; `absent` sends none. */
  params?: ((params: Json) => void) | 'absent';
  jwk?: (jwk: Json) => void;
  supported?: CredentialResponseEncryptionMetadata | null;
  requestEncrypted?: boolean;
}

const responseRows: ResponseRow[] = [
  { rule: 'ENC-01', name: 'ECDH-ES P-256 with A128GCM, in an encrypted request', id: null },
  { rule: 'ENC-01', name: 'A256GCM with zip DEF', id: null, params: (p) => Object.assign(p, { enc: 'A256GCM', zip: 'DEF' }) },
  { rule: 'ENC-01', name: 'an X25519 key', id: null, params: set('jwk', x25519Jwk) },
  { rule: 'ENC-01', name: 'a jwk with use enc', id: null, jwk: set('use', 'enc') },
  { rule: 'ENC-02', name: 'no parameters, encryption optional', id: null, params: 'absent' },

  {
    rule: 'ENC-02',
    name: 'no parameters while encryption_required',
    id: 'ENC-02',
    params: 'absent',
    supported: required.credential_response_encryption,
  },
  { rule: 'ENC-01', name: 'parameters while the issuer offers no encryption', id: 'ENC-01.unsupported', supported: null },
  { rule: 'ENC-01', name: 'a string instead of an object', id: 'ENC-01.malformed', params: () => 'A128GCM' },
  { rule: 'ENC-01', name: 'jwk missing', id: 'ENC-01.malformed', params: without('jwk') },
  { rule: 'ENC-01', name: 'enc missing', id: 'ENC-01.malformed', params: without('enc') },
  { rule: 'ENC-01', name: 'zip is a number', id: 'ENC-01.malformed', params: set('zip', 1) },
  {
    rule: 'ENC-01',
    name: 'draft-13 shape {jwk, alg, enc}: alg beside a jwk without alg',
    id: 'ENC-01.draft13',
    params: set('alg', 'ECDH-ES'),
    jwk: without('alg'),
  },
  { rule: 'ENC-01', name: 'alg beside the jwk differs from jwk.alg', id: 'ENC-01.draft13', params: set('alg', 'RSA-OAEP-256') },
  {
    rule: 'ENC-01',
    name: 'alg beside the jwk equal to jwk.alg is ignored with a warning',
    id: null,
    params: set('alg', 'ECDH-ES'),
  },
  { rule: 'ENC-01', name: 'jwk without alg', id: 'ENC-01.jwk_alg', jwk: without('alg') },
  { rule: 'ENC-01', name: 'jwk.alg RSA-OAEP-256 not supported', id: 'ENC-01.alg', jwk: set('alg', 'RSA-OAEP-256') },
  { rule: 'ENC-01', name: 'enc A192GCM not supported', id: 'ENC-01.enc', params: set('enc', 'A192GCM') },
  { rule: 'ENC-01', name: 'zip DEF while no zip is supported', id: 'ENC-01.zip', params: set('zip', 'DEF'), supported: noZip },
  { rule: 'ENC-01', name: 'zip GZIP is no JWE zip value', id: 'ENC-01.zip', params: set('zip', 'GZIP') },
  {
    rule: 'ENC-01',
    name: 'the private key in jwk (d)',
    id: 'ENC-01.private',
    params: set('jwk', { ...walletPrivateJwk, alg: 'ECDH-ES' }),
  },
  { rule: 'ENC-01', name: 'an Ed25519 signing key', id: 'ENC-01.key', params: set('jwk', ed25519Jwk) },
  { rule: 'ENC-01', name: 'a jwk with use sig', id: 'ENC-01.key', jwk: set('use', 'sig') },
  { rule: 'ENC-01', name: 'a point off the curve', id: 'ENC-01.key', jwk: set('y', walletJwk.x) },
  { rule: 'ENC-01', name: 'a jwk without y', id: 'ENC-01.key', jwk: without('y') },
  { rule: 'ENC-03', name: 'valid parameters in an unencrypted request', id: 'ENC-03', requestEncrypted: false },
];

describe('checkResponseEncryptionParams', () => {
  for (const row of responseRows) {
    it(`${row.rule}: ${row.name}`, () => {
      const jwk: Json = { ...walletJwk };
      row.jwk?.(jwk);
      let params: unknown;
      if (row.params !== 'absent') {
        const value: Json = { jwk, enc: 'A128GCM' };
        params = row.params?.(value) ?? value;
      }
      const supported = row.supported === null ? undefined : (row.supported ?? optional.credential_response_encryption);
      const result = checkResponseEncryptionParams(params, supported, row.requestEncrypted ?? true);
      assertFinding(result, row.id, row.rule);
    });
  }

  it('ENC-01: returns jwk, enc and zip for encryptResponse; the draft-13 alg raises a warning', () => {
    const result = checkResponseEncryptionParams(
      { jwk: walletJwk, enc: 'A256GCM', zip: 'DEF', alg: 'ECDH-ES' },
      optional.credential_response_encryption,
      true,
    );
    assert.ok(result.ok);
    if (result.ok) assert.deepEqual(result.value, { jwk: walletJwk, enc: 'A256GCM', zip: 'DEF' });
    assert.deepEqual(
      result.findings.filter((f) => f.outcome === 'warn').map((f) => f.diagnostic),
      ['ENC-01.draft13_ignored'],
    );
    assert.deepEqual(
      result.findings.filter((f) => f.outcome === 'pass').map((f) => f.rule),
      ['ENC-02', 'ENC-03'],
    );
  });

  it('ENC-02: no parameters and none offered returns null with no finding', () => {
    const result = checkResponseEncryptionParams(undefined, undefined, false);
    assert.deepEqual(result, { ok: true, value: null, findings: [] });
  });
});

interface RequestRow {
  rule: string;
  name: string;
  id: DiagnosticId | null;
  contentType?: string;
  body: () => Promise<unknown>;
  offer?: RequestEncryptionOffer | null;
}

const REQUEST = { credential_configuration_id: 'pid' };
const offerOf = (metadata: typeof optional): RequestEncryptionOffer => ({
  metadata: metadata.credential_request_encryption,
  keys: [issuerKey],
});
const encrypted = async (header: Record<string, unknown> = {}) =>
  new CompactEncrypt(new TextEncoder().encode(JSON.stringify(REQUEST)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: issuerKey.kid, ...header })
    .encrypt(await importJWK(issuerKey.publicJwk, 'ECDH-ES'));

const requestRows: RequestRow[] = [
  {
    rule: 'ENC-04',
    name: 'an encrypted request as application/jwt',
    id: null,
    contentType: 'application/jwt',
    body: () => encrypted(),
  },
  {
    rule: 'ENC-04',
    name: 'media type parameters and case are ignored',
    id: null,
    contentType: 'Application/JWT; charset=utf-8',
    body: () => encrypted(),
  },
  {
    rule: 'ENC-04',
    name: 'a plain JSON request while encryption is optional',
    id: null,
    contentType: 'application/json',
    body: async () => REQUEST,
  },
  {
    rule: 'ENC-04',
    name: 'encryption required and the request is plain JSON',
    id: 'ENC-04.required',
    contentType: 'application/json',
    body: async () => REQUEST,
    offer: offerOf(required),
  },
  {
    rule: 'ENC-04',
    name: 'encryption required and no Content-Type',
    id: 'ENC-04.required',
    body: async () => REQUEST,
    offer: offerOf(required),
  },
  {
    rule: 'ENC-04',
    name: 'application/jwt while the issuer offers no request encryption',
    id: 'ENC-04.unsupported',
    contentType: 'application/jwt',
    body: () => encrypted(),
    offer: null,
  },
  { rule: 'ENC-04', name: 'garbage JWE', id: 'ENC-04.malformed', contentType: 'application/jwt', body: async () => 'a.b.c' },
  {
    rule: 'ENC-04',
    name: 'a JWE for an unknown kid',
    id: 'ENC-04.kid',
    contentType: 'application/jwt',
    body: () => encrypted({ kid: 'unknown' }),
  },
  {
    rule: 'ENC-04',
    name: 'enc A192GCM',
    id: 'ENC-04.enc',
    contentType: 'application/jwt',
    body: () => encrypted({ enc: 'A192GCM' }),
  },
  {
    rule: 'ENC-04',
    name: 'alg ECDH-ES+A256KW',
    id: 'ENC-04.alg',
    contentType: 'application/jwt',
    body: () => encrypted({ alg: 'ECDH-ES+A256KW' }),
  },
];

describe('checkRequestEncryption', () => {
  for (const row of requestRows) {
    it(`${row.rule}: ${row.name}`, async () => {
      const offer = row.offer === null ? undefined : (row.offer ?? offerOf(optional));
      const result = await checkRequestEncryption(row.contentType, await row.body(), offer);
      assertFinding(result, row.id, row.rule);
    });
  }

  it('ENC-03: the result says whether the request was encrypted, for checkResponseEncryptionParams', async () => {
    const sealed = await checkRequestEncryption('application/jwt', await encrypted(), offerOf(optional));
    const plain = await checkRequestEncryption('application/json', REQUEST, offerOf(optional));
    assert.ok(sealed.ok && plain.ok);
    if (sealed.ok && plain.ok) {
      assert.deepEqual(sealed.value, { payload: REQUEST, encrypted: true });
      assert.deepEqual(plain.value, { payload: REQUEST, encrypted: false });
    }
  });

  it('ENC-04: with no request encryption offered a JSON request passes without an ENC-04 finding', async () => {
    assert.deepEqual(await checkRequestEncryption('application/json', REQUEST, undefined), {
      ok: true,
      value: { payload: REQUEST, encrypted: false },
      findings: [],
    });
  });
});
