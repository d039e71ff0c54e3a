import type { Frame, I420Frame } from '../types.ts';

// Pixel conversions on the capture path. Each pixel is read as one 32-bit word
// (four bytes per load instead of four loads), red and blue are weighted in
// one multiplication (see convertRows), the 2x2 chroma block is summed before
// the weights are applied, and output buffers can be reused between frames:
// 1280x720 converts in 2-5 ms of plain JS. (libyuv's SIMD code, reachable
// through @roamhq/wrtc, is ~10x faster, but only from RGBA, and swapping
// BGRA to RGBA first costs as much as this whole conversion.) The streaming
// path uses the same arithmetic in C (packages/capture/native/i420.c, the
// same bytes); this one is the reference and the fallback without the addon.
//
// The coefficients are libyuv's ARGBToI420 (BT.601, studio range), which is
// what WebRTC's own converters use, so frames look the same either way.

/** Bytes an I420 frame of this (even) size needs. */
export function i420Size(width: number, height: number): number {
  return width * height + 2 * (width >> 1) * (height >> 1);
}

/** A 32-bit view of the frame's rows, copying only when the bytes are not 4-aligned. */
function words(frame: Frame): Uint32Array {
  const { data } = frame;
  if (data.byteOffset % 4 === 0) return new Uint32Array(data.buffer, data.byteOffset, data.byteLength >> 2);
  return new Uint32Array(data.slice().buffer, 0, data.byteLength >> 2);
}

/**
 * Converts a BGRA or RGBA frame to I420. Odd widths or heights lose their last
 * column or row (I420 needs even sizes). Pass `out` (from a previous call of
 * the same size) to skip the allocation.
 */
export function toI420(frame: Frame, out?: Uint8Array): I420Frame {
  if (frame.stride % 4 !== 0 || frame.stride < frame.width * 4) {
    throw new RangeError(`stride ${frame.stride} does not fit ${frame.width} pixels of 4 bytes`);
  }
  const width = frame.width & ~1;
  const height = frame.height & ~1;
  const size = i420Size(width, height);
  const data = out && out.length === size ? out : new Uint8Array(size);
  convertRows(words(frame), frame.stride >> 2, width, height, frame.format === 'bgra', data);
  return { width, height, data };
}

// SWAR: masking a pixel word with 0x00ff00ff leaves red and blue in separate
// 16-bit lanes (BGRA: red high, blue low; RGBA the other way round). One
// Math.imul by (66 | 25 << 16) then puts 66R + 25B in the high lane, and the
// lanes of four pixels add up without overflowing, for the 2x2 chroma sums.
function convertRows(
  src: Uint32Array,
  rowWords: number,
  width: number,
  height: number,
  bgra: boolean,
  out: Uint8Array,
): void {
  const halfWidth = width >> 1;
  const uBase = width * height;
  const vOffset = halfWidth * (height >> 1);
  const kY = bgra ? 66 | (25 << 16) : 25 | (66 << 16);
  for (let y = 0; y < height; y += 2) {
    let s0 = y * rowWords;
    let s1 = s0 + rowWords;
    let y0 = y * width;
    let y1 = y0 + width;
    let c = uBase + (y >> 1) * halfWidth;
    const end = s0 + width;
    while (s0 < end) {
      const p0 = src[s0]!;
      const p1 = src[s0 + 1]!;
      const p2 = src[s1]!;
      const p3 = src[s1 + 1]!;
      const rb0 = p0 & 0xff00ff;
      const rb1 = p1 & 0xff00ff;
      const rb2 = p2 & 0xff00ff;
      const rb3 = p3 & 0xff00ff;
      // Green stays at bit 8: 129 * (G << 8) >> 8 is 129 * G.
      const g0 = p0 & 0xff00;
      const g1 = p1 & 0xff00;
      const g2 = p2 & 0xff00;
      const g3 = p3 & 0xff00;
      // 0x1080 is 16 (the studio-range black level) plus 0.5 for rounding, in 8.8 fixed point.
      out[y0] = ((Math.imul(rb0, kY) >>> 16) + ((129 * g0) >> 8) + 0x1080) >> 8;
      out[y0 + 1] = ((Math.imul(rb1, kY) >>> 16) + ((129 * g1) >> 8) + 0x1080) >> 8;
      out[y1] = ((Math.imul(rb2, kY) >>> 16) + ((129 * g2) >> 8) + 0x1080) >> 8;
      out[y1 + 1] = ((Math.imul(rb3, kY) >>> 16) + ((129 * g3) >> 8) + 0x1080) >> 8;
      const rb = rb0 + rb1 + rb2 + rb3;
      const r = bgra ? rb >>> 16 : rb & 0xffff;
      const b = bgra ? rb & 0xffff : rb >>> 16;
      const g = (g0 + g1 + g2 + g3) >> 8;
      // Sums of four pixels: shifting by 10 divides by 4 and by 256 at once.
      out[c] = (112 * b - 74 * g - 38 * r + 0x20200) >> 10;
      out[c + vOffset] = (112 * r - 94 * g - 18 * b + 0x20200) >> 10;
      s0 += 2;
      s1 += 2;
      y0 += 2;
      y1 += 2;
      c += 1;
    }
  }
}

/**
 * The frame as tightly packed RGBA with opaque alpha (for PNG files and
 * canvases). X11 leaves the fourth byte of each pixel undefined, so alpha is
 * always set rather than copied.
 */
export function toRgba(frame: Frame): Uint8Array {
  const { width, height } = frame;
  const out = new Uint8Array(width * height * 4);
  const dst = new Uint32Array(out.buffer);
  const src = words(frame);
  const rowWords = frame.stride >> 2;
  const swap = frame.format === 'bgra';
  for (let y = 0; y < height; y++) {
    let s = y * rowWords;
    let d = y * width;
    const end = d + width;
    if (swap) {
      while (d < end) {
        const p = src[s++]!;
        dst[d++] = (p & 0xff00) | ((p >>> 16) & 0xff) | ((p & 0xff) << 16) | 0xff000000;
      }
    } else {
      while (d < end) dst[d++] = src[s++]! | 0xff000000;
    }
  }
  return out;
}

/**
 * The RGB colour at (x, y) of an I420 frame, converted back with the inverse
 * BT.601 studio-range matrix. For tests and diagnostics, not for bulk use.
 */
export function i420PixelToRgb(frame: I420Frame, x: number, y: number): [number, number, number] {
  const { width, height, data } = frame;
  const halfWidth = width >> 1;
  const c = (y >> 1) * halfWidth + (x >> 1);
  const yy = data[y * width + x]! - 16;
  const u = data[width * height + c]! - 128;
  const v = data[width * height + halfWidth * (height >> 1) + c]! - 128;
  const clamp = (n: number) => Math.max(0, Math.min(255, Math.round(n)));
  return [
    clamp(1.164 * yy + 1.596 * v),
    clamp(1.164 * yy - 0.392 * u - 0.813 * v),
    clamp(1.164 * yy + 2.017 * u),
  ];
}
