import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Frame, PixelFormat } from '../types.ts';
import { i420PixelToRgb, i420Size, toI420, toRgba } from './convert.ts';

// Pure pixel maths: expected values come from the BT.601 studio-range formulas
// (as libyuv computes them), written out independently of the converter.

type Rgb = [number, number, number];

function frameOf(
  width: number,
  height: number,
  format: PixelFormat,
  colour: (x: number, y: number) => Rgb,
  pad = 0,
) {
  const stride = width * 4 + pad * 4;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [r, g, b] = colour(x, y);
      const o = y * stride + x * 4;
      data.set(format === 'bgra' ? [b, g, r, 0] : [r, g, b, 0], o);
    }
  }
  return { width, height, stride, format, data } satisfies Frame;
}

const expectY = ([r, g, b]: Rgb) => (66 * r + 129 * g + 25 * b + 128) / 256 + 16;
const expectU = ([r, g, b]: Rgb) => (-38 * r - 74 * g + 112 * b + 128) / 256 + 128;
const expectV = ([r, g, b]: Rgb) => (112 * r - 94 * g - 18 * b + 128) / 256 + 128;

const COLOURS: Rgb[] = [
  [0, 0, 0],
  [255, 255, 255],
  [255, 0, 0],
  [0, 255, 0],
  [0, 0, 255],
  [255, 128, 0],
  [12, 200, 99],
];

describe('toI420', () => {
  for (const format of ['bgra', 'rgba'] as const) {
    it(`matches the BT.601 formulas for solid ${format} frames`, () => {
      for (const c of COLOURS) {
        const { data, width, height } = toI420(frameOf(8, 4, format, () => c));
        assert.equal(width, 8);
        assert.equal(height, 4);
        assert.equal(data.length, 8 * 4 * 1.5);
        const ySize = 32;
        for (let i = 0; i < ySize; i++) assert.ok(Math.abs(data[i]! - expectY(c)) <= 1, `Y of ${c}`);
        for (let i = 0; i < 8; i++) {
          assert.ok(Math.abs(data[ySize + i]! - expectU(c)) <= 1, `U of ${c}: ${data[ySize + i]}`);
          assert.ok(Math.abs(data[ySize + 8 + i]! - expectV(c)) <= 1, `V of ${c}: ${data[ySize + 8 + i]}`);
        }
      }
    });
  }

  it('round-trips colours within a small tolerance', () => {
    const i420 = toI420(frameOf(16, 16, 'bgra', (x) => COLOURS[Math.floor(x / 2) % COLOURS.length]!));
    for (let x = 0; x < 14; x += 2) {
      const want = COLOURS[Math.floor(x / 2) % COLOURS.length]!;
      const got = i420PixelToRgb(i420, x, 5);
      got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 3, `${want} came back as ${got}`));
    }
  });

  it('averages each 2x2 block for chroma but keeps luma per pixel', () => {
    // A checkerboard of black and white: luma alternates, chroma stays neutral.
    const i420 = toI420(frameOf(4, 2, 'bgra', (x, y) => ((x + y) % 2 ? [255, 255, 255] : [0, 0, 0])));
    assert.deepEqual([...i420.data.subarray(0, 4)], [16, 235, 16, 235]);
    assert.deepEqual([...i420.data.subarray(8)], [128, 128, 128, 128]);
  });

  it('follows the stride and drops an odd last row and column', () => {
    const f = frameOf(5, 3, 'bgra', (x, y) => (x === 4 || y === 2 ? [255, 0, 0] : [0, 0, 255]), 3);
    const i420 = toI420(f);
    assert.equal(i420.width, 4);
    assert.equal(i420.height, 2);
    assert.equal(i420.data.length, i420Size(4, 2));
    for (let x = 0; x < 4; x++) assert.ok(Math.abs(i420.data[x]! - expectY([0, 0, 255])) <= 1);
  });

  it('reuses an output buffer of the right size', () => {
    const f = frameOf(4, 4, 'rgba', () => [1, 2, 3]);
    const first = toI420(f);
    const second = toI420(f, first.data);
    assert.equal(second.data, first.data);
    const fresh = toI420(f, new Uint8Array(3));
    assert.notEqual(fresh.data.length, 3);
  });

  it('reads frames whose bytes are not 4-aligned', () => {
    const f = frameOf(2, 2, 'bgra', () => [255, 128, 0]);
    const shifted = new Uint8Array(f.data.length + 1).subarray(1);
    shifted.set(f.data);
    const i420 = toI420({ ...f, data: shifted });
    assert.ok(Math.abs(i420.data[0]! - expectY([255, 128, 0])) <= 1);
  });

  it('refuses a stride too small for the width', () => {
    assert.throws(
      () => toI420({ width: 4, height: 2, stride: 8, format: 'bgra', data: new Uint8Array(16) }),
      RangeError,
    );
  });

  it('converts 1280x720 quickly', (t) => {
    const f = frameOf(1280, 720, 'bgra', (x, y) => [x & 255, y & 255, (x ^ y) & 255]);
    let out = toI420(f).data;
    const runs = 30;
    const start = performance.now();
    for (let i = 0; i < runs; i++) out = toI420(f, out).data;
    const ms = (performance.now() - start) / runs;
    t.diagnostic(`toI420 1280x720: ${ms.toFixed(2)} ms per frame`);
    // The target is < 5 ms on an idle machine; the bound is loose for loaded CI runners.
    assert.ok(ms < 25, `${ms} ms`);
  });
});

describe('toRgba', () => {
  it('swaps BGRA to RGBA, drops stride padding and makes alpha opaque', () => {
    const f = frameOf(3, 2, 'bgra', (x, y) => [x * 10, y * 20, 200], 2);
    const rgba = toRgba(f);
    assert.equal(rgba.length, 3 * 2 * 4);
    assert.deepEqual([...rgba.subarray(0, 4)], [0, 0, 200, 255]);
    assert.deepEqual([...rgba.subarray((1 * 3 + 2) * 4, (1 * 3 + 2) * 4 + 4)], [20, 20, 200, 255]);
  });

  it('keeps RGBA as it is, apart from alpha', () => {
    const rgba = toRgba(frameOf(1, 1, 'rgba', () => [1, 2, 3]));
    assert.deepEqual([...rgba], [1, 2, 3, 255]);
  });
});
