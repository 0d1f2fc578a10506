// What logs keep: after a flow that carries a Cookie header, forwarded client addresses, a tx_code,
// and an access token misplaced in the query string and the body, none of those values is in the
// session JSON, the session page, the download, /logs or any table but the offer's own rows.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  authorizedWallet,
  codeOf,
  createOffer,
  credentialRequest,
  dpopProof,
  newKey,
  PRE_AUTH,
  sessionFetch,
  tokenRequest,
  validCredentialBody,
} from '../support/raw-wallet.ts';
import { rawSql, startServer, type TestServer } from '../support/server.ts';

const COOKIE = 'wallet_session=cookie-secret-4f1d2a';
const CLIENT_IPS = {
  'x-forwarded-for': '203.0.113.77, 198.51.100.23',
  'cf-connecting-ip': '203.0.113.78',
  'x-real-ip': '203.0.113.79',
  forwarded: 'for=203.0.113.80',
};
const IP_VALUES = ['203.0.113.77', '198.51.100.23', '203.0.113.78', '203.0.113.79', '203.0.113.80'];

describe('secrets and client addresses never reach stored logs', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server?.close());

  it('keeps none of them after a flow, in any view or in the database', async () => {
    const headers = { cookie: COOKIE, ...CLIENT_IPS };
    // A wrong tx_code first (refused, logged in the session), then the right one.
    const offer = await createOffer(server, { grants: { pre_authorized_code: { tx_code: { length: 6 } } } });
    const code = codeOf(offer);
    const wrongTxCode = offer.tx_code === '123456' ? '654321' : '123456';
    assert.equal(
      (await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: wrongTxCode }, headers)).status,
      400,
    );
    const dpopKey = await newKey();
    const token = await tokenRequest(
      server,
      { grant_type: PRE_AUTH, 'pre-authorized_code': code, tx_code: offer.tx_code! },
      { ...headers, DPoP: await dpopProof(dpopKey, { htu: `${server.issuer}/token` }) },
    );
    assert.equal(token.status, 200);
    const { access_token: accessToken } = (await token.json()) as { access_token: string };
    const wallet = { dpopKey, accessToken };
    // The access token misplaced in the query string (CRED-02) and in the body, then a correct request.
    const inQuery = await fetch(`${server.issuer}/credential?access_token=${accessToken}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ ...(await validCredentialBody(server)), access_token: accessToken }),
    });
    assert.equal(inQuery.status, 401);
    assert.equal((await credentialRequest(server, wallet, await validCredentialBody(server), headers)).status, 200);
    // A request tied to no session, with the same headers, lands in /logs.
    await tokenRequest(server, { grant_type: PRE_AUTH, 'pre-authorized_code': 'not-a-code' }, headers);
    // Another session's token against this flow's endpoints: the stored token of another wallet stays out too.
    const other = await authorizedWallet(server);

    const secrets = {
      code,
      tx_code: offer.tx_code!,
      wrongTxCode,
      accessToken,
      otherToken: other.accessToken,
      cookie: 'cookie-secret-4f1d2a',
    };
    const views = {
      'session JSON': await (await sessionFetch(server, offer, `/api/sessions/${offer.session_id}`)).text(),
      'session page': await (await sessionFetch(server, offer, `/sessions/${offer.session_id}`)).text(),
      download: await (await sessionFetch(server, offer, `/sessions/${offer.session_id}/download`)).text(),
      '/logs': await (await fetch(`${server.issuer}/logs`)).text(),
      '/logs page 1 as JSON of the store': JSON.stringify((await server.store.logs.filteredPage(null, {}, 1000, 0)).entries),
    };
    assert.match(views['session JSON'], /"credential_issued"/, 'the views are the real ones');
    assert.match(views['/logs'], /not-a-code|pre-authorized_code/, '/logs shows the unassigned request');
    for (const [where, text] of Object.entries(views)) {
      // The download is the owner's export and carries the offer itself (as the offer page shows it), so its code too.
      for (const [name, value] of Object.entries(secrets))
        if (!(where === 'download' && name === 'code')) assert.equal(text.includes(value), false, `${name} in ${where}`);
      for (const ip of IP_VALUES) assert.equal(text.includes(ip), false, `client address ${ip} in ${where}`);
    }
    // Redactions are named, so a tester sees that something was there.
    assert.match(views['session JSON'], /"name":"cookie","how":"removed"/);
    assert.match(views['session JSON'], /x-forwarded-for/);

    // And nowhere in the database: every column of every table, except that the offer (served by
    // reference) and the code's own row hold the code and the tx_code a wallet must present.
    const offerTables = new Set(['offers', 'pre_authorized_codes']);
    const tables = server.env.DATABASE_SCHEMA
      ? (
          await rawSql(
            server.env,
            `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = '${server.env.DATABASE_SCHEMA}'`,
          )
        ).map((row) => String(row.name))
      : (await rawSql(server.env, "SELECT name FROM sqlite_master WHERE type = 'table'")).map((row) => String(row.name));
    for (const table of tables) {
      const rows = await rawSql(server.env, `SELECT * FROM "${table}"`);
      const dump = JSON.stringify(rows, (_key, value: unknown) =>
        value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value,
      );
      for (const [name, value] of Object.entries(secrets)) {
        if (offerTables.has(table) && (name === 'code' || name === 'tx_code')) continue;
        assert.equal(dump.includes(value), false, `${name} stored in table ${table}`);
      }
      for (const ip of IP_VALUES) assert.equal(dump.includes(ip), false, `client address ${ip} stored in table ${table}`);
    }
  });
});
