import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { i420PixelToRgb, selectBackend, toI420, toRgba } from '../index.ts';
import type { CaptureBackend, Frame } from '../types.ts';
import { startProbeWindow, startXvfb, type ProbeWindow, type Xvfb } from '../testing/index.ts';

// Screen capture on a real Xvfb (black root, -br) with a real X client: an
// orange Tk window at a known place. Orange (255, 128, 0) has three different
// channels, so a red/blue swap cannot pass.

const WIN = { x: 100, y: 50, width: 300, height: 120 };
const ORANGE = [255, 128, 0] as const;

let xvfb: Xvfb;
let backend: CaptureBackend;
let probe: ProbeWindow;
let frame: Frame;

before(async () => {
  xvfb = await startXvfb({ width: 1280, height: 720, args: ['-br'] });
  const selected = await selectBackend('linux', { display: xvfb.display });
  assert.ok(selected.ok, selected.ok ? '' : selected.error.message);
  backend = selected.backend;
  probe = await startProbeWindow({ display: xvfb.display, ...WIN, color: '#ff8000' });
  frame = await backend.grab();
});

after(async () => {
  await probe?.close();
  await backend?.close();
  // Xvfb goes when this process has exited: libnut closes its display at exit.
});

const rgbAt = (rgba: Uint8Array, width: number, x: number, y: number) => {
  const o = (y * width + x) * 4;
  return [rgba[o], rgba[o + 1], rgba[o + 2], rgba[o + 3]];
};

describe('linux-x11 capture', () => {
  it('describes the X screen as one primary display', () => {
    const [display, ...rest] = backend.displays();
    assert.equal(rest.length, 0);
    assert.equal(backend.name, 'linux-x11');
    assert.deepEqual(display, {
      id: `x11:${xvfb.display}`,
      name: xvfb.display,
      bounds: { x: 0, y: 0, width: 1280, height: 720 },
      scaleFactor: 1,
      primary: true,
    });
  });

  it('grabs the whole screen as BGRA', () => {
    assert.equal(frame.width, 1280);
    assert.equal(frame.height, 720);
    assert.equal(frame.format, 'bgra');
    assert.ok(frame.stride >= 1280 * 4);
    assert.ok(frame.data.length >= frame.stride * 720);
    const o = (WIN.y + 10) * frame.stride + (WIN.x + 10) * 4;
    assert.deepEqual([...frame.data.subarray(o, o + 3)], [0, 128, 255], 'B, G, R of orange');
  });

  it('shows the window at its place, with its colour, in RGBA', () => {
    const rgba = toRgba(frame);
    const orange = [...ORANGE, 255];
    const black = [0, 0, 0, 255];
    const { x, y, width, height } = WIN;
    // The window's four corner pixels are orange; the pixels just outside are the black root.
    assert.deepEqual(rgbAt(rgba, 1280, x, y), orange);
    assert.deepEqual(rgbAt(rgba, 1280, x + width - 1, y + height - 1), orange);
    assert.deepEqual(rgbAt(rgba, 1280, x + width - 1, y), orange);
    assert.deepEqual(rgbAt(rgba, 1280, x, y + height - 1), orange);
    assert.deepEqual(rgbAt(rgba, 1280, x - 1, y), black);
    assert.deepEqual(rgbAt(rgba, 1280, x, y - 1), black);
    assert.deepEqual(rgbAt(rgba, 1280, x + width, y + height - 1), black);
    assert.deepEqual(rgbAt(rgba, 1280, x + width - 1, y + height), black);
    // Exactly width x height orange pixels on the whole screen.
    let count = 0;
    for (let i = 0; i < rgba.length; i += 4) {
      if (rgba[i] === 255 && rgba[i + 1] === 128 && rgba[i + 2] === 0) count++;
    }
    assert.equal(count, width * height);
  });

  it('converts the grabbed frame to I420 that converts back to the same colours', () => {
    const i420 = toI420(frame);
    assert.equal(i420.width, 1280);
    assert.equal(i420.height, 720);
    assert.equal(i420.data.length, (1280 * 720 * 3) / 2);
    const inside = i420PixelToRgb(i420, WIN.x + 20, WIN.y + 20);
    inside.forEach((c, i) => assert.ok(Math.abs(c - ORANGE[i]!) <= 4, `channel ${i}: ${c}`));
    const outside = i420PixelToRgb(i420, 20, 20);
    outside.forEach((c) => assert.ok(c <= 2, `black stays black: ${outside.join(',')}`));
  });

  it('sees the screen change between grabs, reusing the buffer it is given', async () => {
    await probe.close();
    probe = await startProbeWindow({
      display: xvfb.display,
      x: 600,
      y: 400,
      width: 50,
      height: 40,
      color: '#0040c0',
    });
    const before = await backend.grab();
    const next = await backend.grab(undefined, before);
    assert.equal(next.data, before.data, 'the same buffer, overwritten');
    assert.notEqual(next.data, frame.data, 'a frame not passed in is left alone');
    const rgba = toRgba(next);
    assert.deepEqual(rgbAt(rgba, 1280, 610, 410), [0, 0x40, 0xc0, 255]);
    assert.deepEqual(rgbAt(rgba, 1280, WIN.x + 10, WIN.y + 10), [0, 0, 0, 255], 'the first window is gone');
    assert.deepEqual(
      rgbAt(toRgba(frame), 1280, WIN.x + 10, WIN.y + 10),
      [...ORANGE, 255],
      'the old frame kept its pixels',
    );
  });

  it('keeps the event loop free while the server sends the image', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    const frames = await Promise.all([backend.grab(), backend.grab(), backend.grab()]);
    clearInterval(timer);
    assert.equal(frames.length, 3);
    for (const f of frames) assert.equal(f.data.length, 1280 * 720 * 4);
    assert.ok(ticks >= 1, 'timers ran during the grabs');
  });

  it('refuses a display id it does not have', async () => {
    await assert.rejects(backend.grab('x11::12345'), /no display/);
  });
});
