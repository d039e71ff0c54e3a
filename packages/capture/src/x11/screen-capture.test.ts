import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { i420PixelToRgb, selectBackend, toI420, toRgba } from '../index.ts';
import { ADDON_ENV, captureAddon } from '../native/capture-addon.ts';
import type { SelectOptions } from '../backends/select.ts';
import type { CaptureBackend, Frame } from '../types.ts';
import { startProbeWindow, startXvfb, type ProbeWindow, type Xvfb } from '../testing/index.ts';

// The capture paths side by side on one real Xvfb with a real X client (an
// orange Tk window at a known place): MIT-SHM with the C converter, GetImage
// with the C converter, and GetImage with the JS converter (the addon turned
// off), which is what a machine without the addon runs. They must see the
// same pixels and produce the same I420 bytes. Shared memory segments are
// counted in the kernel's table (/proc/sysvipc/shm) to catch leaks.

const WIN = { x: 100, y: 50, width: 300, height: 120 };
const ORANGE = [255, 128, 0] as const;

let xvfb: Xvfb;
let probe: ProbeWindow;
const opened: CaptureBackend[] = [];

async function open(options: Omit<SelectOptions, 'display'> = {}, display = xvfb.display) {
  const selected = await selectBackend('linux', { display, ...options });
  assert.ok(selected.ok, selected.ok ? '' : selected.error.message);
  opened.push(selected.backend);
  return selected.backend;
}

/** Segments this process created that still exist, by shmid, with their attach count. */
function ownSegments(): Map<number, { perms: string; nattch: number }> {
  const [, ...rows] = readFileSync('/proc/sysvipc/shm', 'utf8').trim().split('\n');
  const own = new Map<number, { perms: string; nattch: number }>();
  for (const f of rows.map((r) => r.trim().split(/\s+/)))
    if (Number(f[4]) === process.pid) own.set(Number(f[1]), { perms: f[2]!, nattch: Number(f[6]) });
  return own;
}

/** Waits until the X server has processed our detach (it frees the segment then). */
async function segmentsBackTo(count: number): Promise<number> {
  for (let i = 0; i < 100 && ownSegments().size !== count; i++) await delay(20);
  return ownSegments().size;
}

before(async () => {
  const status = captureAddon();
  assert.ok(status.ok, `the native capture addon must be built: ${status.ok ? '' : status.reason}`);
  xvfb = await startXvfb({ width: 1280, height: 720, args: ['-br'] });
  probe = await startProbeWindow({ display: xvfb.display, ...WIN, color: '#ff8000' });
});

after(async () => {
  await probe?.close();
  for (const b of opened) await b.close();
  // Xvfb goes when this process has exited: libnut closes its display at exit.
});

describe('X11 capture paths', () => {
  let shm: CaptureBackend;
  let getImage: CaptureBackend;
  let plain: CaptureBackend;
  before(async () => {
    shm = await open();
    getImage = await open({ shm: false });
    plain = await open({ native: false });
  });

  it('uses MIT-SHM and the C converter when it can, and says so', () => {
    assert.deepEqual(shm.captureMethod, { grab: 'x11-shm', convert: 'native', fallback: undefined });
    assert.equal(getImage.captureMethod.grab, 'x11-get-image');
    assert.equal(getImage.captureMethod.convert, 'native');
    assert.equal(plain.captureMethod.grab, 'x11-get-image');
    assert.equal(plain.captureMethod.convert, 'js');
    assert.match(plain.captureMethod.fallback ?? '', /turned off/);
  });

  it('sees the same pixels through MIT-SHM as through GetImage, the window at its place', async () => {
    const [a, b] = [await shm.grab(), await plain.grab()];
    assert.deepEqual([a.width, a.height, a.stride], [1280, 720, 1280 * 4]);
    assert.deepEqual([b.width, b.height, b.stride], [1280, 720, 1280 * 4]);
    assert.ok(Buffer.from(a.data).equals(Buffer.from(b.data)), 'identical BGRA bytes');
    const rgba = toRgba(a);
    const at = (x: number, y: number) => [...rgba.subarray((y * 1280 + x) * 4, (y * 1280 + x) * 4 + 3)];
    const { x, y, width, height } = WIN;
    assert.deepEqual(at(x, y), ORANGE);
    assert.deepEqual(at(x + width - 1, y + height - 1), ORANGE);
    assert.deepEqual(at(x - 1, y), [0, 0, 0]);
    assert.deepEqual(at(x + width - 1, y + height), [0, 0, 0]);
  });

  it('gives the same I420 bytes on every path: SHM + C, GetImage + C, GetImage + JS', async () => {
    const reference = toI420(await plain.grab());
    for (const backend of [shm, getImage, plain]) {
      const i420 = await backend.grabI420();
      assert.deepEqual([i420.width, i420.height], [1280, 720]);
      assert.ok(Buffer.from(i420.data).equals(Buffer.from(reference.data)), backend.captureMethod.grab);
      const inside = i420PixelToRgb(i420, WIN.x + 20, WIN.y + 20);
      inside.forEach((c, i) => assert.ok(Math.abs(c - ORANGE[i]!) <= 4, `channel ${i}: ${c}`));
    }
  });

  it('refills the buffers it is given, and follows the screen between grabs', async () => {
    const first = await shm.grabI420();
    const frame = await shm.grab();
    const extra = await startProbeWindow({
      display: xvfb.display,
      x: 600,
      y: 400,
      width: 50,
      height: 40,
      color: '#0040c0',
    });
    try {
      const again = await shm.grabI420(undefined, first.data);
      assert.equal(again.data, first.data, 'the same I420 buffer, overwritten');
      const rgb = i420PixelToRgb(again, 620, 420);
      [0, 0x40, 0xc0].forEach((c, i) => assert.ok(Math.abs(rgb[i]! - c) <= 4, `blue window: ${rgb}`));
      const next = await shm.grab(undefined, frame);
      assert.equal(next.data, frame.data, 'the same BGRA buffer, overwritten');
    } finally {
      await extra.close();
    }
  });

  it('runs overlapping grabs one after another, each frame whole', async () => {
    const reference = toI420(await plain.grab());
    const results = await Promise.all([shm.grabI420(), shm.grab(), shm.grabI420(), shm.grab()]);
    for (const r of results) {
      const i420 = 'stride' in r ? toI420(r as Frame) : r;
      assert.ok(Buffer.from(i420.data).equals(Buffer.from(reference.data)));
    }
  });

  it('keeps one segment per backend, attached by us and the server, marked for removal', () => {
    // Only the first backend of this suite uses MIT-SHM.
    const own = [...ownSegments().values()];
    assert.deepEqual(own, [{ perms: '1600', nattch: 2 }], 'SHM_DEST: freed at the last detach');
  });
});

describe('X11 capture fallbacks and cleanup', () => {
  it('falls back to GetImage (and keeps the C converter) on a server without MIT-SHM', async () => {
    const noShm = await startXvfb({ width: 640, height: 480, args: ['-br', '-extension', 'MIT-SHM'] });
    const backend = await open({}, noShm.display);
    assert.equal(backend.captureMethod.grab, 'x11-get-image');
    assert.equal(backend.captureMethod.convert, 'native');
    assert.match(backend.captureMethod.fallback ?? '', /no MIT-SHM/);
    const i420 = await backend.grabI420();
    assert.deepEqual([i420.width, i420.height], [640, 480]);
    assert.deepEqual(i420PixelToRgb(i420, 10, 10), [0, 0, 0]);
  });

  it('falls back to GetImage when the server cannot attach our segment (another IPC namespace)', async () => {
    const apart = await startXvfb({ width: 640, height: 480, args: ['-br'], privateIpc: true });
    const before = ownSegments().size;
    const backend = await open({}, apart.display);
    assert.equal(backend.captureMethod.grab, 'x11-get-image');
    assert.match(backend.captureMethod.fallback ?? '', /refused ShmAttach|different segment/);
    assert.equal(ownSegments().size, before, 'the refused segment is freed');
    const i420 = await backend.grabI420();
    assert.deepEqual([i420.width, i420.height], [640, 480]);
  });

  it(`takes ${ADDON_ENV}=0 as the addon being off`, async () => {
    process.env[ADDON_ENV] = '0';
    try {
      const backend = await open();
      assert.deepEqual([backend.captureMethod.grab, backend.captureMethod.convert], ['x11-get-image', 'js']);
      assert.match(backend.captureMethod.fallback ?? '', new RegExp(`${ADDON_ENV}=0`));
      const rgb = i420PixelToRgb(await backend.grabI420(), WIN.x + 20, WIN.y + 20);
      rgb.forEach((c, i) => assert.ok(Math.abs(c - ORANGE[i]!) <= 4, `channel ${i}: ${c}`));
    } finally {
      delete process.env[ADDON_ENV];
    }
  });

  it('frees its segment on close, and leaves none behind after many backends', async () => {
    const before = ownSegments().size;
    for (let i = 0; i < 5; i++) {
      const backend = await open();
      assert.equal(backend.captureMethod.grab, 'x11-shm');
      await backend.grabI420();
      await backend.grab();
      assert.equal(ownSegments().size, before + 1, 'one segment while open');
      await backend.close();
      opened.splice(opened.indexOf(backend), 1);
      assert.equal(await segmentsBackTo(before), before, 'none left once closed');
    }
  });

  it('reports a drawing after a grab, once until the next grab re-arms it (DAMAGE)', async () => {
    const backend = await open();
    let changes = 0;
    assert.equal(await backend.watchScreen!(() => changes++), true);
    const until = async (n: number) => {
      for (let i = 0; i < 250 && changes < n; i++) await delay(20);
      return changes;
    };
    await backend.grabI420();
    const first = await startProbeWindow({
      display: xvfb.display,
      x: 600,
      y: 300,
      width: 80,
      height: 60,
      color: '#00ff00',
    });
    try {
      assert.equal(await until(1), 1, 'a new window is reported');
      const second = await startProbeWindow({
        display: xvfb.display,
        x: 700,
        y: 300,
        width: 80,
        height: 60,
        color: '#0000ff',
      });
      await second.close();
      await delay(200);
      assert.equal(changes, 1, 'no second report before a grab');
      await backend.grabI420();
      await first.close();
      assert.equal(await until(2), 2, 're-armed by the grab');
    } finally {
      await first.close();
    }
    await backend.watchScreen!(undefined);
    await backend.grabI420();
    const third = await startProbeWindow({ display: xvfb.display, x: 600, y: 400, width: 80, height: 60 });
    await third.close();
    await delay(200);
    assert.equal(changes, 2, 'nothing after stopping');
  });
});
