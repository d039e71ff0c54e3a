import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANONICAL_CODE_PATTERN, IdSchema } from '@beckon/protocol';
import { newRequestIdentity, newSessionCode, timeOrderedUuid } from './secrets.ts';

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

test('a new identity has a fresh salt and no legacy token hash', () => {
  const identity = newRequestIdentity(Date.now());
  assert.match(identity.tokenSalt, /^[0-9a-f]{32}$/);
  assert.equal(identity.legacyTokenHash, null);
  assert.notEqual(newRequestIdentity().tokenSalt, identity.tokenSalt);
});
