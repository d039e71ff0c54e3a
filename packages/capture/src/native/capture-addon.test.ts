import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { toI420 } from '../frame/convert.ts';
import type { Frame, PixelFormat } from '../types.ts';
import { captureAddon, convertToI420, toI420Native, type CaptureAddon } from './capture-addon.ts';

// The native addon on its own: the C converter against the JS one (the
// reference, whose colours convert.test.ts checks against the BT.601
// formulas), its argument checks, and the life of a shared memory segment as
// the kernel reports it. The addon is built by `scripts/beckon setup`; these
// tests fail without it rather than skip.

const status = captureAddon();
if (!status.ok) throw new Error(`native capture addon unavailable: ${status.reason}`);
const addon: CaptureAddon = status.addon;

/** A deterministic pseudo-random frame (xorshift), `pad` bytes after each row. */
function noiseFrame(width: number, height: number, pad: number, format: PixelFormat, seed = 1): Frame {
  const stride = width * 4 + pad;
  const data = new Uint8Array(stride * height);
  let x = seed * 2654435761;
  for (let i = 0; i < data.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  return { width, height, stride, format, data };
}

/** A copy with a stride the JS converter accepts (a multiple of 4, no matter what). */
function repacked(frame: Frame): Frame {
  const stride = frame.width * 4;
  const data = new Uint8Array(stride * frame.height);
  for (let y = 0; y < frame.height; y++)
    data.set(frame.data.subarray(y * frame.stride, y * frame.stride + stride), y * stride);
  return { ...frame, stride, data };
}

function assertSameBytes(got: Uint8Array, want: Uint8Array, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  const at = got.findIndex((b, i) => b !== want[i]);
  assert.equal(at, -1, `${what}: first difference at byte ${at} (${got[at]} vs ${want[at]})`);
}

interface ShmRow {
  readonly shmid: number;
  readonly perms: string;
  readonly size: number;
  readonly cpid: number;
  readonly nattch: number;
}

/** The kernel's table of SysV shared memory segments, only those this process created. */
function ownSegments(): ShmRow[] {
  const [, ...rows] = readFileSync('/proc/sysvipc/shm', 'utf8').trim().split('\n');
  return rows
    .map((r) => r.trim().split(/\s+/))
    .map((f) => ({
      shmid: Number(f[1]),
      perms: f[2]!,
      size: Number(f[3]),
      cpid: Number(f[4]),
      nattch: Number(f[6]),
    }))
    .filter((r) => r.cpid === process.pid);
}

describe('C I420 converter', () => {
  it('gives the JS converter bytes for random frames of odd and even sizes, strides and both formats', () => {
    const sizes = [
      [2, 2],
      [1, 1],
      [3, 5],
      [7, 3],
      [8, 2],
      [9, 9],
      [16, 4],
      [17, 11],
      [33, 2],
      [64, 31],
      [1279, 719],
      [1280, 720],
    ] as const;
    let seed = 1;
    for (const [width, height] of sizes) {
      for (const pad of [0, 4, 12, 3]) {
        for (const format of ['bgra', 'rgba'] as const) {
          const frame = noiseFrame(width, height, pad, format, seed++);
          const want = toI420(pad % 4 === 0 ? frame : repacked(frame));
          const got = toI420Native(addon, frame);
          assert.equal(got.width, want.width);
          assert.equal(got.height, want.height);
          assertSameBytes(got.data, want.data, `${width}x${height} ${format}, ${pad} bytes padding`);
        }
      }
    }
  });

  it('gives the same bytes for extreme colours (every channel 0 or 255)', () => {
    // All 16 combinations of B, G, R, X at 0 or 255, in 2x2 blocks and across them.
    const width = 64;
    const height = 4;
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const c = (i * 7 + (i >> 6)) & 15;
      data.set([c & 1 ? 255 : 0, c & 2 ? 255 : 0, c & 4 ? 255 : 0, c & 8 ? 255 : 0], i * 4);
    }
    const frame: Frame = { width, height, stride: width * 4, format: 'bgra', data };
    assertSameBytes(toI420Native(addon, frame).data, toI420(frame).data, 'extremes');
  });

  it('reads a source at any byte offset and writes into the buffer it is given', () => {
    const frame = noiseFrame(18, 6, 0, 'bgra', 99);
    const shifted = new Uint8Array(frame.data.length + 3).subarray(3);
    shifted.set(frame.data);
    const out = new Uint8Array((18 * 6 * 3) / 2);
    const got = toI420Native(addon, { ...frame, data: shifted }, out);
    assert.equal(got.data, out);
    assertSameBytes(out, toI420(frame).data, 'unaligned source');
  });

  it('converts from a shared memory segment as from JS memory', () => {
    const frame = noiseFrame(40, 10, 0, 'bgra', 7);
    const segment = addon.create(frame.data.length);
    try {
      addon.write(segment, 0, frame.data);
      const got = convertToI420(addon, segment, frame);
      assertSameBytes(got.data, toI420(frame).data, 'from a segment');
      const back = new Uint8Array(frame.data.length);
      addon.read(segment, 0, back);
      assertSameBytes(back, frame.data, 'read back');
    } finally {
      addon.detach(segment);
    }
  });
});

describe('addon argument checks', () => {
  const src = new Uint8Array(8 * 4 * 4);
  const dst = new Uint8Array((8 * 4 * 3) / 2);

  it('refuses sources, destinations and strides that do not fit', () => {
    assert.throws(
      () => addon.toI420(src.subarray(1), 0, 8, 4, 32, true, dst),
      RangeError,
      'src short by one',
    );
    assert.throws(() => addon.toI420(src, 1, 8, 4, 32, true, dst), RangeError, 'offset past the end');
    assert.throws(() => addon.toI420(src, 0, 8, 4, 32, true, dst.subarray(1)), RangeError, 'dst short');
    assert.throws(() => addon.toI420(src, 0, 8, 4, 31, true, dst), RangeError, 'stride < width * 4');
    addon.toI420(src, 0, 8, 5, 32, true, dst); // an odd last row is not read: it fits
    assert.throws(() => addon.toI420(src, 0, 9, 4, 32, true, dst), RangeError, 'stride too small for 9');
    assert.throws(() => addon.toI420(src, 0, 8, 6, 32, true, dst), RangeError, 'src too short for 6 rows');
    // The last row needs only its pixels, not a whole stride: this one fits.
    addon.toI420(new Uint8Array(40 + 8 * 4), 0, 8, 2, 40, true, new Uint8Array(24));
  });

  it('refuses wrong types and numbers', () => {
    const bad: unknown[][] = [
      [],
      [src, 0, 8, 4, 32, true],
      ['pixels', 0, 8, 4, 32, true, dst],
      [new Uint16Array(64), 0, 8, 4, 32, true, dst],
      [src, 0, 8, 4, 32, true, [0, 0]],
      [src, -1, 8, 4, 32, true, dst],
      [src, 0.5, 8, 4, 32, true, dst],
      [src, 0, Number.NaN, 4, 32, true, dst],
      [src, 0, 8, Infinity, 32, true, dst],
      [src, 0, 8, 4, '32', true, dst],
      [src, 0, 8, 4, 32, 'yes', dst],
      [src, 0, 70000, 4, 32, true, dst],
      [{}, 0, 8, 4, 32, true, dst],
    ];
    const call = addon.toI420 as unknown as (...args: unknown[]) => void;
    for (const args of bad) assert.throws(() => call(...args), /./, JSON.stringify(args));
  });

  it('refuses segment calls on anything but a live segment, and ranges outside it', () => {
    const fns = addon as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of ['id', 'remove', 'detach', 'read', 'write']) {
      assert.throws(() => fns[name]!({}, 0, new Uint8Array(1)), TypeError, `${name} on an object`);
      assert.throws(() => fns[name]!(src, 0, new Uint8Array(1)), TypeError, `${name} on a Uint8Array`);
    }
    for (const size of [0, -1, 1.5, 2 ** 31, Number.NaN, '64'])
      assert.throws(() => fns.create!(size), /./, `create(${String(size)})`);
    const segment = addon.create(64);
    try {
      assert.throws(() => addon.read(segment, 1, new Uint8Array(64)), RangeError);
      assert.throws(() => addon.write(segment, 65, new Uint8Array(0)), RangeError);
      assert.throws(() => addon.write(segment, 0, new Uint8Array(65)), RangeError);
      assert.throws(() => addon.toI420(segment, 0, 8, 4, 32, true, dst), RangeError, '128 bytes needed');
      addon.write(segment, 60, new Uint8Array(4));
    } finally {
      addon.detach(segment);
    }
    assert.throws(() => addon.read(segment, 0, new Uint8Array(1)), /detached/);
    assert.throws(() => addon.toI420(segment, 0, 2, 2, 8, true, dst), /detached/);
    addon.detach(segment); // twice is fine
  });
});

describe('shared memory segments', () => {
  it('are private to this user, marked for removal on remove(), and gone after detach()', () => {
    const before = ownSegments().length;
    const segment = addon.create(4096);
    const row = () => ownSegments().find((r) => r.shmid === addon.id(segment));
    assert.deepEqual(
      { perms: row()?.perms, size: row()?.size, nattch: row()?.nattch },
      { perms: '600', size: 4096, nattch: 1 },
    );
    addon.remove(segment);
    // SHM_DEST (01000): the kernel frees it at the last detach.
    assert.equal(row()?.perms, '1600');
    addon.detach(segment);
    assert.equal(ownSegments().length, before);
  });

  it('are freed by detach() even when never removed', () => {
    const before = ownSegments().length;
    const segments = Array.from({ length: 5 }, () => addon.create(1 << 20));
    assert.equal(ownSegments().length, before + 5);
    for (const s of segments) addon.detach(s);
    assert.equal(ownSegments().length, before);
  });
});
