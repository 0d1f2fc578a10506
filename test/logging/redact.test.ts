// Every redaction rule, one row each, on real signed JWTs; plus copying, idempotence and free text.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { generateKeyPair, SignJWT } from 'jose';
import { decodeCompactJwt } from '../../src/checks/jose-helpers.ts';
import { SIGNATURE_REMOVED } from '../../src/logging/jwt-signature.ts';
import { type Redaction, redactEntry, redactSecret, redactSerialized, redactText } from '../../src/logging/redact.ts';

const ACCESS_TOKEN = 'at-0123456789abcdefghij';
const CODE = 'pre-auth-code-0123456789';
let dpop = '';
let proof = '';

before(async () => {
  const { privateKey } = await generateKeyPair('ES256');
  const sign = (typ: string, claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ }).sign(privateKey);
  dpop = await sign('dpop+jwt', { htm: 'POST', htu: 'https://issuer.example/token', jti: 'j1' });
  proof = await sign('openid4vci-proof+jwt', { aud: 'https://issuer.example', nonce: 'n-1' });
});

const unsigned = (jwt: string) => `${jwt.split('.').slice(0, 2).join('.')}.${SIGNATURE_REMOVED}`;
const has = (redactions: Redaction[], expected: Redaction) =>
  assert.ok(
    redactions.some((r) => r.where === expected.where && r.name === expected.name && r.how === expected.how),
    `${JSON.stringify(expected)} in ${JSON.stringify(redactions)}`,
  );

describe('redactEntry: headers', () => {
  it('keeps the Authorization scheme and shows the token as prefix…suffix', () => {
    const { entry, redactions, secrets } = redactEntry({ headers: { authorization: `DPoP ${ACCESS_TOKEN}` } });
    assert.deepEqual(entry.headers, { authorization: 'DPoP at-012…ghij' });
    has(redactions, { where: 'header', name: 'authorization', how: 'secret' });
    assert.deepEqual(secrets, [ACCESS_TOKEN]);
  });

  it('hides a short token completely', () => {
    assert.deepEqual(redactEntry({ headers: { authorization: 'Bearer short' } }).entry.headers, { authorization: 'Bearer …' });
  });

  it('removes Cookie and Set-Cookie', () => {
    const { entry, redactions } = redactEntry({
      headers: { cookie: 'playground_csrf=abc', 'set-cookie': ['a=1', 'b=2'], accept: '*/*' },
    });
    assert.deepEqual(entry.headers, { accept: '*/*' });
    has(redactions, { where: 'header', name: 'cookie', how: 'removed' });
    has(redactions, { where: 'header', name: 'set-cookie', how: 'removed' });
  });

  const ipHeaders = [
    'x-forwarded-for',
    'x-real-ip',
    'cf-connecting-ip',
    'true-client-ip',
    'forwarded',
    'x-client-ip',
    'fastly-client-ip',
    'x-cluster-client-ip',
    'x-forwarded',
    'forwarded-for',
  ];
  for (const name of ipHeaders) {
    it(`removes ${name} unless logClientIps`, () => {
      const headers = { [name]: '203.0.113.7', host: 'issuer.example' };
      const removed = redactEntry({ headers });
      assert.deepEqual(removed.entry.headers, { host: 'issuer.example' });
      assert.deepEqual(removed.redactions, [{ where: 'header', name, how: 'removed' }]);
      const kept = redactEntry({ headers }, { logClientIps: true });
      assert.deepEqual(kept.entry.headers, headers);
      assert.deepEqual(kept.redactions, []);
    });
  }

  it('matches header names case-insensitively and keeps their spelling', () => {
    assert.deepEqual(
      redactEntry({ headers: { 'X-Forwarded-For': '203.0.113.7', Authorization: 'Bearer short' } }).entry.headers,
      { Authorization: 'Bearer …' },
    );
  });

  for (const name of ['dpop', 'oauth-client-attestation', 'oauth-client-attestation-pop']) {
    it(`drops the signature of the ${name} JWT and keeps it decodable`, () => {
      const { entry, redactions } = redactEntry({ headers: { [name]: dpop } });
      const kept = (entry.headers as Record<string, string>)[name]!;
      assert.equal(kept, unsigned(dpop));
      assert.deepEqual(decodeCompactJwt(kept), decodeCompactJwt(dpop));
      has(redactions, { where: 'header', name, how: 'signature' });
    });
  }

  it('treats X-Admin-Token, Session-Token and CSRF token headers as secrets', () => {
    const headers = {
      'x-admin-token': 'admin-0123456789abcdef',
      'session-token': 'sess-0123456789abcdef',
      'x-csrf-token': 'csrf-0123456789abcdef',
    };
    assert.deepEqual(redactEntry({ headers }).entry.headers, {
      'x-admin-token': 'admin-…cdef',
      'session-token': 'sess-0…cdef',
      'x-csrf-token': 'csrf-0…cdef',
    });
  });
});

describe('redactEntry: query, form and JSON bodies', () => {
  const secretNames = [
    'pre-authorized_code',
    'code',
    'access_token',
    'refresh_token',
    'code_verifier',
    'client_secret',
    'session_token',
    'admin_token',
    '_csrf',
  ];
  for (const name of secretNames) {
    it(`redacts ${name} in the query, the URL and the body`, () => {
      const value = `${name}-value-0123456789`;
      const { entry, redactions } = redactEntry({
        url: `/x?${name}=${value}&state=keep`,
        query: { [name]: value, state: 'keep' },
        body: { nested: { [name]: value } },
      });
      const stub = redactSecret(value);
      assert.equal(entry.url, `/x?${new URLSearchParams({ [name]: stub, state: 'keep' })}`);
      assert.deepEqual(entry.query, { [name]: stub, state: 'keep' });
      assert.deepEqual(entry.body, { nested: { [name]: stub } });
      assert.deepEqual(redactions, [
        { where: 'query', name, how: 'secret' },
        { where: 'body', name: `nested.${name}`, how: 'secret' },
      ]);
    });
  }

  it('redacts every value of a repeated form key, parsed or as sent', () => {
    const parsed = redactEntry({ body: { code: [`${CODE}-a`, `${CODE}-b`], grant_type: 'x' } });
    assert.deepEqual(parsed.entry.body, { code: ['pre-au…89-a', 'pre-au…89-b'], grant_type: 'x' });
    assert.deepEqual(
      parsed.redactions.map((r) => r.name),
      ['code[0]', 'code[1]'],
    );

    const raw = redactEntry({
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `code=${CODE}-a&code=${CODE}-b&tx_code=123456&grant_type=x`,
    });
    assert.equal(raw.entry.body, 'code=pre-au%E2%80%A689-a&code=pre-au%E2%80%A689-b&tx_code=%5B6+characters%5D&grant_type=x');
  });

  it('leaves a form string without secrets exactly as sent', () => {
    const body = 'grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Apre-authorized_code&x=a+b';
    assert.equal(redactEntry({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).entry.body, body);
  });

  it('finds secrets at any depth, inside arrays', () => {
    const { entry, redactions } = redactEntry({
      body: { a: [{ b: { refresh_token: CODE } }, { c: [{ client_secret: CODE }] }] },
    });
    assert.deepEqual(entry.body, { a: [{ b: { refresh_token: 'pre-au…6789' } }, { c: [{ client_secret: 'pre-au…6789' }] }] });
    assert.deepEqual(
      redactions.map((r) => r.name),
      ['a[0].b.refresh_token', 'a[1].c[0].client_secret'],
    );
  });

  it('drops the signature of JWTs in the body (proofs) and keeps them decodable', () => {
    const { entry, redactions } = redactEntry({ body: { credential_configuration_id: 'pid', proofs: { jwt: [proof, proof] } } });
    assert.deepEqual(entry.body, { credential_configuration_id: 'pid', proofs: { jwt: [unsigned(proof), unsigned(proof)] } });
    assert.deepEqual(decodeCompactJwt(unsigned(proof)), decodeCompactJwt(proof));
    assert.deepEqual(
      redactions.map((r) => [r.name, r.how]),
      [
        ['proofs.jwt[0]', 'signature'],
        ['proofs.jwt[1]', 'signature'],
      ],
    );
  });

  it('leaves dotted strings that are not JWTs alone', () => {
    const body = { host: 'www.example.com', version: '1.2.3', almost: 'abc.def.ghi' };
    assert.deepEqual(redactEntry({ body }).entry.body, body);
  });
});

describe('redactEntry: tx_code', () => {
  it('keeps only the length, and whether it matched when the caller says', () => {
    assert.deepEqual(redactEntry({ body: { tx_code: '123456' } }).entry.body, { tx_code: { length: 6 } });
    assert.deepEqual(redactEntry({ body: { tx_code: '123456' } }, { txCodeMatched: false }).entry.body, {
      tx_code: { length: 6, matched: false },
    });
    assert.deepEqual(redactEntry({ body: { tx_code: 4321 } }, { txCodeMatched: true }).entry.body, {
      tx_code: { length: 4, matched: true },
    });
    assert.deepEqual(redactEntry({ body: { tx_code: '123456' } }).redactions, [
      { where: 'body', name: 'tx_code', how: 'tx_code' },
    ]);
  });

  it("leaves the offer's tx_code description (an object) visible", () => {
    const offer = {
      grants: {
        'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
          'pre-authorized_code': CODE,
          tx_code: { length: 6, input_mode: 'numeric' },
        },
      },
    };
    const { entry, redactions } = redactEntry({ credential_offer: offer });
    assert.deepEqual(entry.credential_offer, {
      grants: {
        'urn:ietf:params:oauth:grant-type:pre-authorized_code': {
          'pre-authorized_code': 'pre-au…6789',
          tx_code: { length: 6, input_mode: 'numeric' },
        },
      },
    });
    assert.deepEqual(redactions, [
      {
        where: 'data',
        name: 'credential_offer.grants.urn:ietf:params:oauth:grant-type:pre-authorized_code.pre-authorized_code',
        how: 'secret',
      },
    ]);
  });

  it('never leaves the value in free text of the same entry', () => {
    const { entry } = redactEntry({ body: { tx_code: '482913' }, detail: 'tx_code 482913 does not match' });
    assert.equal(entry.detail, 'tx_code … does not match');
  });
});

describe('redactEntry: free text and copies', () => {
  it('removes a token sent both in the query and in the body from every other field', () => {
    const { entry, secrets } = redactEntry({
      url: `/credential?access_token=${ACCESS_TOKEN}`,
      body: { access_token: ACCESS_TOKEN },
      message: `token ${ACCESS_TOKEN} is not accepted here`,
      list: [`x ${ACCESS_TOKEN}`],
    });
    assert.equal(entry.url, '/credential?access_token=at-012%E2%80%A6ghij');
    assert.deepEqual(entry.body, { access_token: 'at-012…ghij' });
    assert.equal(entry.message, 'token at-012…ghij is not accepted here');
    assert.deepEqual(entry.list, ['x at-012…ghij']);
    assert.deepEqual(secrets, [ACCESS_TOKEN]);
  });

  it('removes secrets learnt from the request (knownSecrets) from a later note', () => {
    const { entry, redactions } = redactEntry(
      { rule: 'TOK-04', detail: `no offer has the code ${CODE}` },
      { knownSecrets: [CODE] },
    );
    assert.deepEqual(entry, { rule: 'TOK-04', detail: 'no offer has the code pre-au…6789' });
    assert.deepEqual(redactions, []);
  });

  it('does not mutate its input', () => {
    const input = {
      headers: { authorization: `DPoP ${ACCESS_TOKEN}`, cookie: 'a=b', dpop },
      url: `/t?code=${CODE}`,
      body: { proofs: { jwt: [proof] }, tx_code: ['1234'], deep: [{ code: CODE }] },
    };
    const copy = structuredClone(input);
    const { entry } = redactEntry(input);
    assert.deepEqual(input, copy);
    assert.notEqual(entry.body, input.body);
  });

  it('is idempotent: redacting a redacted entry changes nothing', () => {
    const first = redactEntry({
      headers: { authorization: `DPoP ${ACCESS_TOKEN}`, dpop },
      body: { code: CODE, tx_code: '123456', proofs: { jwt: [proof] } },
    }).entry;
    assert.deepEqual(redactEntry(first).entry, first);
  });
});

describe('redactText', () => {
  it('replaces every occurrence, longest secret first, and ignores very short ones', () => {
    assert.equal(
      redactText(`${CODE} and ${CODE}-suffix and 123`, [CODE, `${CODE}-suffix`, '123']),
      'pre-au…6789 and pre-au…ffix and 123',
    );
  });
});

describe('redactSerialized: the same rules on JSON text the server wrote', () => {
  const cases: Array<{ name: string; value: unknown; secrets?: string[]; expected: unknown }> = [
    { name: 'a value under a secret name', value: { facts: { code: CODE } }, expected: { facts: { code: 'pre-au…6789' } } },
    {
      name: 'a tx_code, string or number, keeps only its length',
      value: [{ tx_code: '482913' }, { tx_code: 4821 }],
      expected: [{ tx_code: { length: 6 } }, { tx_code: { length: 4 } }],
    },
    {
      name: "a named secret's value elsewhere in the same text",
      value: { access_token: ACCESS_TOKEN, detail: `token ${ACCESS_TOKEN} unknown` },
      expected: { access_token: 'at-012…ghij', detail: 'token at-012…ghij unknown' },
    },
    {
      name: 'a known secret in free text',
      value: { detail: `no offer has the code ${CODE}` },
      secrets: [CODE],
      expected: { detail: 'no offer has the code pre-au…6789' },
    },
    {
      name: 'a secret that JSON escapes',
      value: { detail: 'code a"b\\c-0123 given' },
      secrets: ['a"b\\c-0123'],
      expected: { detail: `code ${redactSecret('a"b\\c-0123')} given` },
    },
    {
      name: 'an object under a secret name is left to its members',
      value: { tx_code: { length: 6, input_mode: 'numeric' } },
      expected: { tx_code: { length: 6, input_mode: 'numeric' } },
    },
    {
      name: 'dotted strings that are not JWTs',
      value: { host: 'www.example.com', v: 'abc.def.ghi' },
      expected: { host: 'www.example.com', v: 'abc.def.ghi' },
    },
  ];
  for (const { name, value, secrets = [], expected } of cases) {
    it(name, () => {
      assert.deepEqual(JSON.parse(redactSerialized(JSON.stringify(value), secrets)), expected);
    });
  }

  it('drops JWT signatures and keeps them decodable', () => {
    const out = JSON.parse(redactSerialized(JSON.stringify({ facts: { sent: proof } }), [])) as { facts: { sent: string } };
    assert.equal(out.facts.sent, unsigned(proof));
    assert.deepEqual(decodeCompactJwt(out.facts.sent), decodeCompactJwt(proof));
  });

  it('agrees with redactEntry on data fields and is idempotent', () => {
    const data = { facts: { code: CODE, refresh_token: `${CODE}-r`, note: `saw ${CODE}` }, jwt: proof };
    const once = redactSerialized(JSON.stringify(data), []);
    assert.deepEqual(JSON.parse(once), redactEntry(data).entry);
    assert.equal(redactSerialized(once, []), once);
  });
});
