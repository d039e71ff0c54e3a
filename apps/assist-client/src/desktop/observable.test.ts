import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createObservable } from './observable.ts';

it('notifies subscribers until they unsubscribe', () => {
  const box = createObservable(1);
  const seen: number[] = [];
  const off = box.subscribe((v) => seen.push(v));
  box.set(2);
  off();
  box.set(3);
  assert.deepEqual(seen, [2]);
  assert.equal(box.get(), 3);
});
