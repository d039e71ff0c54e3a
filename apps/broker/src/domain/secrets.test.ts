import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, createSecretKey } from 'node:crypto';
import { CANONICAL_CODE_PATTERN, IdSchema, base64url } from '@beckon/protocol';
import { deriveLinkToken, newRequestIdentity, newSessionCode, timeOrderedUuid } from './secrets.ts';

test('request ids are valid UUIDs (v7) that carry their time and grow in the order they were made', () => {
  const ms = Date.parse('2031-05-06T07:08:09.010Z');
  const ids = [
    timeOrderedUuid(ms),
    timeOrderedUuid(ms),
    timeOrderedUuid(ms),
    timeOrderedUuid(ms + 1),
    timeOrderedUuid(ms - 5000), // a clock that went back still gives a later id
  ];
  for (const id of ids) {
    assert.ok(IdSchema.safeParse(id).success, id);
    assert.equal(id[14], '7', 'version 7');
    assert.match(id, /^[0-9a-f-]{36}$/, 'what the routes accept as an id');
  }
  assert.equal(parseInt(ids[0]!.slice(0, 13).replace('-', ''), 16), ms);
  assert.deepEqual([...ids].sort(), ids, 'sorted as made');
  assert.equal(new Set(ids).size, ids.length);
  // Many in one millisecond: the counter runs over into the next millisecond, never repeats.
  const burst = Array.from({ length: 5000 }, () => timeOrderedUuid(ms + 2));
  assert.deepEqual([...burst].sort(), burst);
  assert.equal(new Set(burst).size, burst.length);
});

test('session codes are the protocol canonical form, every digit uniform', () => {
  const counts = Array<number>(10).fill(0);
  for (let i = 0; i < 20_000; i++) {
    const code = newSessionCode();
    assert.match(code, CANONICAL_CODE_PATTERN);
    for (const d of code.slice(1)) counts[Number(d)]! += 1;
  }
  // 160,000 digits: each of 10 within 5% of 16,000 (more than 12 standard deviations).
  for (const c of counts) assert.ok(Math.abs(c - 16_000) < 800, `digit counts ${counts.join(',')}`);
});

test('a link token is the HMAC of id and salt, the same however often it is derived', () => {
  const secret = createSecretKey(Buffer.alloc(32, 7));
  const identity = newRequestIdentity(secret, Date.now());
  const expected = base64url(
    createHmac('sha256', secret).update(`link:v1:${identity.id}:${identity.tokenSalt}`).digest(),
  );
  assert.equal(deriveLinkToken(secret, identity.id, identity.tokenSalt), expected);
  assert.equal(deriveLinkToken(secret, identity.id, identity.tokenSalt), expected, 'remembered');
  const other = createSecretKey(Buffer.alloc(32, 8));
  assert.notEqual(deriveLinkToken(other, identity.id, identity.tokenSalt), expected, 'per secret');
  assert.match(identity.tokenSalt, /^[0-9a-f]{32}$/);
  assert.notEqual(newRequestIdentity(secret).tokenSalt, identity.tokenSalt);
});
