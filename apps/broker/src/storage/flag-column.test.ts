import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSet } from './flag-column.ts';

test('a flag column reads the same from either backend: 1 and true are set, 0 and false are not', () => {
  assert.equal(isSet(1), true);
  assert.equal(isSet(true), true);
  assert.equal(isSet(0), false);
  assert.equal(isSet(false), false);
});
