// Credential lifecycle through status lists (FMT-SD-07/08, H-15, H-17): every format references an
// entry; the list tokens are fetched over HTTP and decoded and verified here, from the specifications,
// never with the server's own list code; revoke, suspend and reinstate through the session API
// change the entry a fresh fetch shows. Bit orders: draft-ietf-oauth-status-list-14 Section 4.1
// (least significant bits first), W3C Bitstring Status List v1.0 (index 0 is the left-most bit).
import assert from 'node:assert/strict';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, inflateSync } from 'node:zlib';
import { Decoder, Encoder } from 'cbor-x';
import { decodeProtectedHeader, type JWTPayload, jwtVerify } from 'jose';
import {
  authorizedWallet,
  type CreatedOffer,
  cNonce,
  credentialRequest,
  keyProof,
  newKey,
  PID_JWT_VC,
  PID_SD_JWT,
  sessionFetch,
  sessionRecords,
  validCredentialBody,
} from '../support/raw-wallet.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { playgroundCa, verifyJwtVc, verifySdJwtVc } from '../support/verify-credential.ts';
import { leafFrom } from '../support/x5c.ts';

const PID_MDOC = 'eu.europa.ec.eudi.pid_mdoc';
const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });
/** Sig_structure (RFC 9052 Section 4.4) with untagged byte strings. */
const sigEncoder = new Encoder({ useRecords: false, tagUint8Array: false });

type CredentialsBody = { credentials: Array<{ credential: string }> };

/** Section 4.1: entry i of `bits` bits starts at bit i*bits, counted from the least significant bit of byte 0. */
function tokenStatusAt(lst: Buffer, bits: number, idx: number): number {
  const bytes = inflateSync(lst);
  const bit = idx * bits;
  return (bytes[Math.floor(bit / 8)]! >> (bit % 8)) & ((1 << bits) - 1);
}

async function fetchJwtList(uri: string, caPem: string) {
  const res = await fetch(uri, { headers: { accept: 'application/statuslist+jwt', origin: 'https://verifier.example' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/statuslist+jwt', 'FMT-SD-08: media type');
  assert.equal(res.headers.get('access-control-allow-origin'), '*', 'verifiers in browsers may fetch it');
  assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
  const jwt = await res.text();
  const header = decodeProtectedHeader(jwt);
  assert.equal(header.typ, 'statuslist+jwt', 'FMT-SD-08: typ');
  const leaf = await leafFrom(header.x5c as string[], caPem);
  const { payload } = await jwtVerify(jwt, leaf.publicKey);
  const claims = payload as JWTPayload & { ttl: number; status_list: { bits: number; lst: string } };
  assert.equal(claims.sub, uri, 'FMT-SD-08: sub is the URI the token was fetched from');
  assert.ok(typeof claims.iat === 'number' && claims.exp! > claims.iat, 'iat and a later exp');
  assert.ok(claims.ttl > 0, 'ttl');
  assert.equal(claims.status_list.bits, 2, 'two bits: valid, invalid and suspended');
  assert.ok(
    inflateSync(Buffer.from(claims.status_list.lst, 'base64url')).length * 4 >= 100_000,
    'a list large enough to hide in',
  );
  return (idx: number) => tokenStatusAt(Buffer.from(claims.status_list.lst, 'base64url'), claims.status_list.bits, idx);
}

async function setStatus(server: TestServer, offer: CreatedOffer, credentialId: string, status: string) {
  const res = await sessionFetch(server, offer, `/api/sessions/${offer.session_id}/credentials/${credentialId}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ status }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type ListedCredential = {
  id: string;
  credential_configuration_id: string;
  format: string;
  status: string;
  status_list: { uri: string; idx: number };
};
async function listed(server: TestServer, offer: CreatedOffer): Promise<ListedCredential[]> {
  const res = await sessionFetch(server, offer, `/api/sessions/${offer.session_id}`);
  return ((await res.json()) as { credentials: ListedCredential[] }).credentials;
}

async function issue(server: TestServer, configurationId: string, proofs = 1) {
  const wallet = await authorizedWallet(server, { credential_configuration_ids: [configurationId] });
  const keys = await Promise.all(Array.from({ length: proofs }, () => newKey()));
  const nonce = await cNonce(server);
  const jwts = await Promise.all(keys.map((k) => keyProof(k, { aud: server.issuer, nonce })));
  const res = await credentialRequest(server, wallet, { credential_configuration_id: configurationId, proofs: { jwt: jwts } });
  assert.equal(res.status, 200, await res.clone().text());
  return { wallet, keys, credentials: ((await res.json()) as CredentialsBody).credentials.map((c) => c.credential) };
}

describe('status lists: references, signed list tokens, revoke/suspend/reinstate', () => {
  let server: TestServer;
  let caPem: string;
  before(async () => {
    server = await startServer();
    caPem = await playgroundCa(server.issuer);
  });
  after(() => server.close());

  it('FMT-SD-07, H-15: an SD-JWT VC references a random entry of a signed Token Status List; the API sets it to 1, 2 and back to 0', async () => {
    const { wallet, credentials } = await issue(server, PID_SD_JWT);
    const sd = await verifySdJwtVc(credentials[0]!, caPem);
    const ref = (sd.payload.status as { status_list: { idx: number; uri: string } }).status_list;
    assert.ok(Number.isInteger(ref.idx) && ref.idx >= 0);
    assert.ok(ref.uri.startsWith(`${server.issuer}/status-lists/`), ref.uri);
    assert.ok(!JSON.stringify(sd.disclosures).includes('status_list'), 'status is not selectively disclosable');

    const [credential] = await listed(server, wallet.offer);
    assert.deepEqual(
      { ...credential, id: typeof credential!.id },
      {
        id: 'string',
        credential_configuration_id: PID_SD_JWT,
        format: 'dc+sd-jwt',
        status: 'valid',
        status_list: { uri: ref.uri, idx: ref.idx },
      },
    );
    assert.equal((await fetchJwtList(ref.uri, caPem))(ref.idx), 0, 'VALID after issuance');

    for (const [status, value] of [
      ['invalid', 1],
      ['suspended', 2],
      ['valid', 0],
    ] as const) {
      const changed = await setStatus(server, wallet.offer, credential!.id, status);
      assert.equal(changed.status, 200);
      assert.equal(changed.body.status, status);
      assert.equal((await fetchJwtList(ref.uri, caPem))(ref.idx), value, `a fresh fetch shows ${status} as ${value}`);
      assert.equal((await listed(server, wallet.offer))[0]!.status, status);
    }

    const events = await server.store.events.list(wallet.offer.session_id);
    const changes = events.filter((e) => e.type === 'credential_status_changed').map((e) => e.data.status);
    assert.deepEqual(changes.sort(), ['invalid', 'suspended', 'valid'], 'each change is an event of the session');
    const fetches = (await sessionRecords(server, wallet.offer.session_id, 'check')).filter(
      (r) => r.subject === 'Status list fetched',
    );
    assert.ok(fetches.length >= 4, 'every fetch of the list is in the log of the session it covers');
    assert.deepEqual(
      (fetches[0]!.facts!.credentials as Array<{ idx: number }>).map((c) => c.idx),
      [ref.idx],
    );
  });

  it('a batch gets distinct random indexes; other sessions cannot touch them; bad bodies are refused', async () => {
    const { wallet, credentials } = await issue(server, PID_SD_JWT, 3);
    const refs = await Promise.all(
      credentials.map(
        async (c) => ((await verifySdJwtVc(c, caPem)).payload.status as { status_list: { idx: number } }).status_list.idx,
      ),
    );
    assert.equal(new Set(refs).size, 3, 'distinct indexes');
    const sorted = [...refs].sort((a, b) => a - b);
    assert.ok(sorted[2]! - sorted[0]! > 2, `indexes are not sequential: ${refs.join(', ')}`);

    const [first] = await listed(server, wallet.offer);
    const other = await authorizedWallet(server);
    const foreign = await setStatus(server, other.offer, first!.id, 'invalid');
    assert.equal(foreign.status, 404, 'a credential of another session is unknown here');
    const unknownStatus = await setStatus(server, wallet.offer, first!.id, 'revoked');
    assert.equal(unknownStatus.status, 400);
    assert.equal(unknownStatus.body.error, 'invalid_request');
    assert.equal((await listed(server, wallet.offer))[0]!.status, 'valid', 'nothing changed');
  });

  it('jwt_vc_json: credentialStatus entries of a Bitstring Status List credential, revocation and suspension bits', async () => {
    const { wallet, credentials } = await issue(server, PID_JWT_VC);
    const vc = await verifyJwtVc(credentials[0]!, caPem);
    const entries = (vc.payload.vc as { credentialStatus: Array<Record<string, string>> }).credentialStatus;
    assert.deepEqual(
      entries.map((e) => [e.type, e.statusPurpose]),
      [
        ['BitstringStatusListEntry', 'revocation'],
        ['BitstringStatusListEntry', 'suspension'],
      ],
    );
    const idx = Number(entries[0]!.statusListIndex);
    assert.equal(entries[1]!.statusListIndex, String(idx));

    const bit = async (entry: Record<string, string>) => {
      const res = await fetch(entry.statusListCredential!);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/vc+jwt');
      const jwt = await res.text();
      const header = decodeProtectedHeader(jwt);
      const { payload } = await jwtVerify(jwt, (await leafFrom(header.x5c as string[], caPem)).publicKey);
      const subject = payload.credentialSubject as { statusPurpose: string; encodedList: string };
      assert.equal(payload.id, entry.statusListCredential);
      assert.equal(subject.statusPurpose, entry.statusPurpose);
      assert.ok(subject.encodedList.startsWith('u'), 'multibase base64url');
      const bytes = gunzipSync(Buffer.from(subject.encodedList.slice(1), 'base64url'));
      assert.ok(bytes.length >= 16 * 1024, 'at least 16 KB uncompressed (group privacy)');
      return (bytes[Math.floor(idx / 8)]! >> (7 - (idx % 8))) & 1;
    };
    assert.deepEqual([await bit(entries[0]!), await bit(entries[1]!)], [0, 0]);
    const [credential] = await listed(server, wallet.offer);
    await setStatus(server, wallet.offer, credential!.id, 'suspended');
    assert.deepEqual([await bit(entries[0]!), await bit(entries[1]!)], [0, 1], 'suspended: the suspension bit');
    await setStatus(server, wallet.offer, credential!.id, 'invalid');
    assert.deepEqual([await bit(entries[0]!), await bit(entries[1]!)], [1, 0], 'revoked: the revocation bit');
  });

  it('mso_mdoc: the MSO status references the CWT Status List Token, served as application/statuslist+cwt', async () => {
    const { wallet, credentials } = await issue(server, PID_MDOC);
    const issuerSigned = cbor.decode(Buffer.from(credentials[0]!, 'base64url')) as Map<string, unknown>;
    const issuerAuth = issuerSigned.get('issuerAuth') as [Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array];
    // The payload is tag 24 (0xd8 0x18) around the byte string of the MSO (ISO 18013-5 9.1.2.4).
    assert.deepEqual([...issuerAuth[2].subarray(0, 2)], [0xd8, 0x18], 'tag 24');
    const mso = cbor.decode(cbor.decode(issuerAuth[2].subarray(2)) as Uint8Array) as Map<string, unknown>;
    const status = (mso.get('status') as Map<string, Map<string, unknown>>).get('status_list')!;
    const [idx, uri] = [status.get('idx') as number, status.get('uri') as string];
    assert.ok(uri.startsWith(`${server.issuer}/status-lists/`));
    // The MSO with status is still the one the issuer signature covers.
    const leafDer = issuerAuth[1].get(33) as Uint8Array;
    const toBeSigned = new Uint8Array(
      Buffer.from(sigEncoder.encode(['Signature1', issuerAuth[0], new Uint8Array(0), issuerAuth[2]])),
    );
    assert.ok(
      verify(
        'sha256',
        toBeSigned,
        {
          key: createPublicKey(new X509Certificate(leafDer).publicKey.export({ format: 'pem', type: 'spki' })),
          dsaEncoding: 'ieee-p1363',
        },
        issuerAuth[3],
      ),
      'issuerAuth verifies over the MSO with status',
    );

    const cwtStatus = async () => {
      const res = await fetch(uri, { headers: { accept: 'application/statuslist+cwt' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/statuslist+cwt');
      const [protectedBytes, , payload, signature] = cbor.decode(Buffer.from(await res.arrayBuffer())) as [
        Uint8Array,
        Map<number, unknown>,
        Uint8Array,
        Uint8Array,
      ];
      const header = cbor.decode(protectedBytes) as Map<number, unknown>;
      assert.equal(header.get(16), 'application/statuslist+cwt', 'COSE typ');
      const leaf = await leafFrom(header.get(33) as Uint8Array, caPem);
      const sigStructure = sigEncoder.encode(['Signature1', protectedBytes, new Uint8Array(0), payload]);
      assert.ok(
        verify('sha256', sigStructure, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, signature),
        'COSE_Sign1 ES256 signature',
      );
      const claims = cbor.decode(payload) as Map<number, unknown>;
      assert.equal(claims.get(2), uri, 'sub');
      const list = claims.get(65533) as Map<string, unknown>;
      return tokenStatusAt(Buffer.from(list.get('lst') as Uint8Array), list.get('bits') as number, idx);
    };
    assert.equal(await cwtStatus(), 0);
    const [credential] = await listed(server, wallet.offer);
    await setStatus(server, wallet.offer, credential!.id, 'suspended');
    assert.equal(await cwtStatus(), 2);
    assert.equal((await fetchJwtList(uri, caPem))(idx), 2, 'the JWT form of the same list agrees');
  });

  it('validCredentialBody still issues for a fresh session (status reservation does not break plain issuance)', async () => {
    const wallet = await authorizedWallet(server);
    const res = await credentialRequest(server, wallet, await validCredentialBody(server));
    assert.equal(res.status, 200);
  });
});
