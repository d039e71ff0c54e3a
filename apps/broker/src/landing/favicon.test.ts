import assert from 'node:assert/strict';
import { test } from 'node:test';
import { faviconIco } from './favicon.ts';

test('the favicon is a well-formed 32×32 32-bit ICO: opaque centre, transparent corners', () => {
  const ico = faviconIco([0x1f, 0x6f, 0xeb]);
  assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 1]);
  assert.equal(ico.readUInt8(6), 32);
  assert.equal(ico.readUInt32LE(14), ico.length - 22);
  assert.equal(ico.readUInt32LE(18), 22);
  assert.equal(ico.readInt32LE(30), 64);
  const pixel = (x: number, y: number) =>
    ico.subarray(62 + ((31 - y) * 32 + x) * 4, 62 + ((31 - y) * 32 + x) * 4 + 4);
  assert.deepEqual([...pixel(16, 16)], [0xeb, 0x6f, 0x1f, 255]);
  assert.equal(pixel(0, 0)[3], 0);
  assert.equal(pixel(31, 31)[3], 0);
});
