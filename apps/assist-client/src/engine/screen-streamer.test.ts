import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import wrtc from '@roamhq/wrtc';
import { selectBackend, type CaptureBackend } from '@beckon/capture';
import { startProbeWindow, startXvfb, type Xvfb } from '@beckon/capture/testing';
import { KEEPALIVE_MS, ScreenStreamer, type VideoSourceLike } from './screen-streamer.ts';

// The streamer on real parts: an Xvfb screen, the X11 backend's change
// events, wrtc's video source. What it hands the encoder is counted.
// @roamhq/wrtc crashes Node's own teardown (SIGSEGV) once a video track was
// used; leaving through process.exit skips that teardown (as host-session.test.ts does).
process.once('beforeExit', () => process.exit());

let xvfb: Xvfb;
let backend: CaptureBackend;

before(async () => {
  xvfb = await startXvfb({ width: 640, height: 480 });
  const selected = await selectBackend('linux', { display: xvfb.display });
  if (!selected.ok) throw new Error(selected.error.message);
  backend = selected.backend;
});
after(async () => {
  await xvfb.stop();
});

/** wrtc's source, with the frames it was handed timestamped. */
function countingSource(): VideoSourceLike & { at: number[] } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const at: number[] = [];
  return {
    at,
    createTrack: () => source.createTrack(),
    onFrame(frame) {
      at.push(performance.now());
      source.onFrame(frame);
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The X11 backend with change reports made by hand (`report()`: the screen "changed"), real grabs. */
interface ByHand {
  backend: CaptureBackend;
  report(): void;
}
function reportedByHand(overrides: Partial<CaptureBackend> = {}): ByHand {
  let listener: (() => void) | undefined;
  return {
    backend: Object.assign(Object.create(backend) as CaptureBackend, {
      watchScreen: async (l: (() => void) | undefined) => {
        listener = l;
        return true;
      },
      ...overrides,
    }),
    report: () => listener?.(),
  };
}

test('a still screen is sent once a keep-alive interval (1 s), not at the frame rate; a change at once', async () => {
  assert.equal(KEEPALIVE_MS, 1000);
  const source = countingSource();
  const streamer = new ScreenStreamer(backend, source, { fps: 30 });
  streamer.start();
  try {
    await sleep(600); // the first frame, and the change watch set up
    const still0 = source.at.length;
    await sleep(2500);
    const still = source.at.length - still0;
    // 2.5 s of a still screen: 2–3 keep-alives (at 250 ms it was 10, at 30 fps 75).
    assert.ok(still >= 1 && still <= 4, `frames of a still screen in 2.5 s: ${still}`);

    const before = source.at.length;
    const win = await startProbeWindow({ display: xvfb.display, color: '#00ff00' });
    // The window is on the screen by now (it reported ready): a frame follows within a few
    // frame intervals, not at the next keep-alive (up to 1 s away).
    const shown = performance.now();
    try {
      const deadline = Date.now() + 3000;
      while (source.at.length === before && Date.now() < deadline) await sleep(10);
      const first = source.at[before];
      assert.ok(first !== undefined && first - shown < 300, `a change grabbed at once: ${first! - shown} ms`);
    } finally {
      await win.close();
    }
  } finally {
    streamer.close();
  }
});

test('a change reported while a grab is running is grabbed next, not left to the keep-alive', async () => {
  // The X11 backend, with each grab slowed down and a change reported in its middle, as when
  // the square flips while the previous picture is being read.
  let reportMidGrab = false;
  const slowed: ByHand = reportedByHand({
    grabI420: async (...args: Parameters<CaptureBackend['grabI420']>) => {
      if (reportMidGrab) {
        reportMidGrab = false;
        setTimeout(() => slowed.report(), 5);
      }
      await sleep(20);
      return backend.grabI420(...args);
    },
  });
  const source = countingSource();
  const streamer = new ScreenStreamer(slowed.backend, source, { fps: 30 });
  streamer.start();
  try {
    await sleep(1200); // the first frame and a keep-alive: now idle for up to a second
    const before = source.at.length;
    reportMidGrab = true;
    slowed.report(); // a change: its grab reports another one while it runs
    await sleep(400);
    // The change's own grab, one more for what was drawn during it, and that one's trailing
    // frame: all well within 400 ms (without the fix, the change's and its trailing frame).
    assert.equal(
      source.at.length - before,
      3,
      `frames after a change reported mid-grab: ${source.at.length - before}`,
    );
  } finally {
    streamer.close();
  }
});

test('a change is followed by one trailing frame a frame interval later, then the idle pace', async () => {
  // On an idle screen, one change.
  const { backend: manual, report } = reportedByHand();
  const source = countingSource();
  // 10 fps: the trailing frame is due 100 ms after the change's.
  const streamer = new ScreenStreamer(manual, source, { fps: 10, keepAliveMs: 5000 });
  streamer.start();
  try {
    await sleep(450); // the first frame (with its trailing one), the change watch set up
    const before = source.at.length;
    const reported = performance.now();
    report();
    await sleep(900);
    const after = source.at.slice(before).map((t) => t - reported);
    // The change's picture at once, the trailing one at its frame interval, and nothing more
    // (the keep-alive is 5 s away): a picture lost on the way is asked for again 100 ms later,
    // not at the keep-alive.
    assert.equal(after.length, 2, `frames after one change: ${after.map((t) => t.toFixed(0)).join(', ')}`);
    assert.ok(after[0]! < 50, `the change's frame after ${after[0]!.toFixed(1)} ms`);
    assert.ok(
      after[1]! - after[0]! >= 95 && after[1]! - after[0]! < 300,
      `trailing frame ${after[1]! - after[0]!} ms later`,
    );
  } finally {
    streamer.close();
  }
});

test('a change right after a keep-alive is grabbed at once: only grabs for changes count against the frame rate', async () => {
  const { backend: manual, report } = reportedByHand();
  // 10 fps: a change held back for the frame rate would wait 100 ms.
  const source = countingSource();
  let afterKeepAlive: number | null = null;
  let reportAfterNext = false;
  const hooked: VideoSourceLike = {
    createTrack: () => source.createTrack(),
    onFrame(frame) {
      source.onFrame(frame);
      if (!reportAfterNext) return;
      reportAfterNext = false;
      afterKeepAlive = performance.now();
      // Just after the keep-alive's frame, as a flip that lands right after one.
      setImmediate(report);
    },
  };
  const streamer = new ScreenStreamer(manual, hooked, { fps: 10, keepAliveMs: 300 });
  streamer.start();
  try {
    await sleep(450); // the first frame, and the change watch set up
    reportAfterNext = true; // the next frame is a keep-alive: nothing reported a change
    const deadline = Date.now() + 2000;
    while ((afterKeepAlive === null || source.at.at(-1)! <= afterKeepAlive) && Date.now() < deadline)
      await sleep(5);
    assert.ok(afterKeepAlive !== null, 'a keep-alive came');
    const waited = source.at.at(-1)! - afterKeepAlive;
    assert.ok(waited < 50, `the change was grabbed ${waited.toFixed(1)} ms after the keep-alive`);
  } finally {
    streamer.close();
  }
});
