import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createSecretKey } from 'node:crypto';
import { base64url, LinkTokenSchema } from '@beckon/protocol';
import { startFixture } from '../testing/fixture.ts';
import { withTestDb } from '../testing/test-storage.ts';
import { deriveLinkToken, requestIdOfLinkToken } from './link-tokens.ts';
import { hashToken } from './secrets.ts';

const tokenOf = (link: string) => link.slice(link.lastIndexOf('/') + 1);
/** The token with one bit of byte `i` flipped. */
function flip(token: string, i: number): string {
  const bytes = Buffer.from(token, 'base64url');
  bytes[i]! ^= 1;
  return base64url(bytes);
}

test('a link token is the request id and a 128-bit MAC of id and salt, remembered once derived', () => {
  const secret = createSecretKey(Buffer.alloc(32, 7));
  const id = '0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b';
  const token = deriveLinkToken(secret, id, 'salt');
  assert.ok(LinkTokenSchema.safeParse(token).success, 'the protocol token format');
  assert.equal(requestIdOfLinkToken(token), id);
  const mac = createHmac('sha256', secret).update(`link:v2:${id}:salt`).digest().subarray(0, 16);
  assert.deepEqual(Buffer.from(token, 'base64url').subarray(16), mac);
  assert.equal(deriveLinkToken(secret, id, 'salt'), token, 'remembered');
  assert.notEqual(deriveLinkToken(createSecretKey(Buffer.alloc(32, 8)), id, 'salt'), token, 'per secret');
  assert.notEqual(deriveLinkToken(secret, id, 'pepper'), token, 'per salt');
});

test('a link opens its request by id and MAC; a changed bit, a borrowed MAC or a closed request does not', async () => {
  const f = await startFixture();
  try {
    const a = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Ada' })).body;
    const b = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Bob' })).body;
    const ta = tokenOf(a.customerLink);
    const tb = tokenOf(b.customerLink);
    assert.equal(requestIdOfLinkToken(ta), a.id, 'the token names its row');

    const join = (token: string) => f.api('POST', '/api/v1/join', { token }, null);
    const ok = await join(ta);
    assert.equal(ok.status, 200);
    assert.equal(ok.body.summary.recipientName, 'Ada');
    assert.ok(ok.body.ticket, 'a ticket for the assist socket');

    // Another request's id with this request's MAC, and single flipped bits in id and MAC.
    const borrowed = base64url(
      Buffer.concat([
        Buffer.from(tb, 'base64url').subarray(0, 16),
        Buffer.from(ta, 'base64url').subarray(16),
      ]),
    );
    for (const bad of [borrowed, flip(ta, 0), flip(ta, 15), flip(ta, 16), flip(ta, 31)]) {
      const r = await join(bad);
      assert.equal(r.status, 404, bad);
      assert.equal(r.body.error.code, 'invalid_token');
    }
    // The landing page tells a wrong link from a real one without saying whose it is.
    assert.equal((await fetch(`${f.url}/j/${flip(ta, 20)}`)).status, 404);
    assert.equal((await fetch(`${f.url}/j/${ta}`)).status, 200);

    assert.equal((await f.api('POST', `/api/v1/session-requests/${a.id}/close`, {})).status, 200);
    assert.equal((await join(ta)).status, 404, 'closed: the link stops working at once');
    assert.equal((await join(tb)).status, 200, 'the other request is untouched');
  } finally {
    await f.stop();
  }
});

test('a link minted before tokens carried their id (v1, stored as a hash) still opens its request', async () => {
  const f = await startFixture();
  try {
    const r = (await f.api('POST', '/api/v1/session-requests', { recipientName: 'Old' })).body;
    // What the broker used to mint and store: a 256-bit HMAC, kept only as its SHA-256.
    const v1 = base64url(createHmac('sha256', 'an old secret').update(`link:v1:${r.id}`).digest());
    await withTestDb(f.config.dbFile, (q) =>
      q('UPDATE session_requests SET legacy_token_hash = ? WHERE id = ?', [hashToken(v1), r.id]),
    );

    const joined = await f.api('POST', '/api/v1/join', { token: v1 }, null);
    assert.equal(joined.status, 200);
    assert.equal(joined.body.summary.recipientName, 'Old');
    assert.equal((await fetch(`${f.url}/j/${v1}`)).status, 200, 'its landing page');
    assert.equal((await f.api('POST', '/api/v1/join', { token: flip(v1, 5) }, null)).status, 404);
    assert.equal((await f.api('POST', '/api/v1/join', { token: tokenOf(r.customerLink) }, null)).status, 200);
  } finally {
    await f.stop();
  }
});
