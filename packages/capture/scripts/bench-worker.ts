// Measurements for bench/host/run.ts, one process per run so that its CPU time
// is the capture path's alone. Prints one JSON line on stdout; run.ts makes
// the table. Each run starts its own Xvfb.
//   node bench-worker.ts capture <width> <height> <seconds> <targetFps> <x11-floor binary>
//   node bench-worker.ts inject <count> <x11-floor binary>
import { execFile, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as delay } from 'node:timers/promises';
import {
  DataChannelMessageSchema,
  DC_MAX_MESSAGE_BYTES,
  parseJsonFrame,
  pixelToNormalized,
} from '@beckon/protocol';
import { mouse, Point } from '@nut-tree-fork/nut-js';
import {
  createInputDispatcher,
  selectBackend,
  toI420,
  type CaptureBackend,
  type InputMessage,
  type SelectOptions,
} from '@beckon/capture';
import { startXvfb, type Xvfb } from '@beckon/capture/testing';
// Internals with no public export: libnut's raw grab and the addon's converter alone.
import { loadLibnut } from '../src/native/libnut.ts';
import { captureAddon, toI420Native } from '../src/native/capture-addon.ts';

const [mode, ...args] = process.argv.slice(2);

/** CPU seconds (user + system) of another process, from /proc. */
function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const ownCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function runFloor(
  binary: string,
  display: string,
  ...floorArgs: string[]
): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    execFile(
      binary,
      floorArgs,
      { env: { ...process.env, DISPLAY: display }, maxBuffer: 64 << 20 },
      (err, out) => (err ? reject(err) : resolve(JSON.parse(out) as Record<string, number[]>)),
    );
  });
}

async function open(xvfb: Xvfb, options: Omit<SelectOptions, 'display'> = {}) {
  const selected = await selectBackend('linux', { display: xvfb.display, ...options });
  if (!selected.ok) throw new Error(selected.error.message);
  return selected.backend;
}

/** Per-call ms of `run`, after 10 warm-up calls. */
async function timed(count: number, run: () => unknown): Promise<number[]> {
  for (let i = 0; i < 10; i++) await run();
  const ms: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await run();
    ms.push(performance.now() - t);
  }
  return ms;
}

/**
 * One capture path, measured through the calls a consumer makes: grabI420
 * (the screen streamer's call) as fast as it goes and paced at the target
 * rate, with this process's and Xvfb's CPU; grab() alone (a BGRA frame in JS
 * memory; with MIT-SHM that includes copying it out of the segment).
 */
async function measurePath(
  backend: CaptureBackend,
  xvfb: Xvfb,
  seconds: number,
  targetFps: number | undefined,
) {
  let frame = await backend.grab();
  const grabMs = await timed(60, async () => (frame = await backend.grab(undefined, frame)));
  let out = (await backend.grabI420()).data;
  for (let i = 0; i < 10; i++) out = (await backend.grabI420(undefined, out)).data;

  const totalMs: number[] = [];
  let cpu0 = ownCpuSeconds();
  let x0 = cpuSecondsOf(xvfb.pid);
  let t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    const a = performance.now();
    out = (await backend.grabI420(undefined, out)).data;
    totalMs.push(performance.now() - a);
  }
  let wall = (performance.now() - t0) / 1000;
  const max = {
    fps: totalMs.length / wall,
    cpuPercent: ((ownCpuSeconds() - cpu0) / wall) * 100,
    xvfbCpuPercent: ((cpuSecondsOf(xvfb.pid) - x0) / wall) * 100,
  };
  if (targetFps === undefined) return { method: backend.captureMethod, grabMs, totalMs, max };

  // Paced at the target rate, as a session runs it (screen-streamer.ts).
  cpu0 = ownCpuSeconds();
  x0 = cpuSecondsOf(xvfb.pid);
  t0 = performance.now();
  let frames = 0;
  while (performance.now() - t0 < seconds * 1000) {
    out = (await backend.grabI420(undefined, out)).data;
    frames++;
    const wait = t0 + (frames * 1000) / targetFps - performance.now();
    if (wait > 0) await delay(wait);
  }
  wall = (performance.now() - t0) / 1000;
  const paced = {
    targetFps,
    fps: frames / wall,
    cpuPercent: ((ownCpuSeconds() - cpu0) / wall) * 100,
    xvfbCpuPercent: ((cpuSecondsOf(xvfb.pid) - x0) / wall) * 100,
  };
  return { method: backend.captureMethod, grabMs, totalMs, max, paced };
}

async function capture(): Promise<unknown> {
  const [w, h, secs, fps, floorBin] = args;
  const width = Number(w);
  const height = Number(h);
  const seconds = Number(secs);
  const targetFps = Number(fps);
  const xvfb = await startXvfb({ width, height });
  const floor = floorBin ? await runFloor(floorBin, xvfb.display, 'grab', '60') : undefined;

  // The default path (what the streamer gets: MIT-SHM + C where possible), the
  // same server without MIT-SHM, and the full fallback without the addon.
  const shm = await open(xvfb);
  const getImageC = await open(xvfb, { shm: false });
  const getImageJs = await open(xvfb, { native: false });
  const paths = {
    default: await measurePath(shm, xvfb, seconds, targetFps),
    getImageC: await measurePath(getImageC, xvfb, seconds, undefined),
    getImageJs: await measurePath(getImageJs, xvfb, seconds, targetFps),
  };

  // The converters alone, on a real screen frame in JS memory.
  const frame = await shm.grab();
  let out = toI420(frame).data;
  const jsConvertMs = await timed(60, () => (out = toI420(frame, out).data));
  const addon = captureAddon();
  const cConvertMs = addon.ok
    ? await timed(60, () => (out = toI420Native(addon.addon, frame, out).data))
    : [];

  // libnut's own grab (nut-js's), for comparison. It opens $DISPLAY for every frame.
  process.env.DISPLAY = xvfb.display;
  const lib = loadLibnut('linux');
  const libnutGrabMs = await timed(60, () => lib.captureScreen());

  for (const b of [shm, getImageC, getImageJs]) await b.close();
  return { width, height, paths, jsConvertMs, cConvertMs, libnutGrabMs, floor };
}

async function inject(): Promise<unknown> {
  const [n, floorBin] = args;
  const count = Number(n);
  const xvfb = await startXvfb({ width: 1280, height: 720 });
  const observer = spawn(floorBin!, ['observe'], {
    env: { ...process.env, DISPLAY: xvfb.display },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // The observer's timestamps are CLOCK_MONOTONIC in ns, like process.hrtime.bigint().
  let waiting: { match: string; resolve: (ns: bigint) => void } | undefined;
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  createInterface({ input: observer.stdout }).on('line', (line) => {
    if (line === 'ready') return ready();
    const at = line.lastIndexOf(' ');
    if (waiting && line.slice(0, at) === waiting.match) {
      const w = waiting;
      waiting = undefined;
      w.resolve(BigInt(line.slice(at + 1)));
    }
  });
  await isReady;
  const backend = await open(xvfb);
  const seen = (match: string) => new Promise<bigint>((resolve) => (waiting = { match, resolve }));
  const spot = (i: number) => ({ x: 100 + (i % 2) * 300, y: 100 + (i % 3) * 100 });

  async function measure(run: (x: number, y: number) => unknown, rounds: number): Promise<number[]> {
    const us: number[] = [];
    for (let i = 0; i < rounds + 50; i++) {
      const { x, y } = spot(i);
      const event = seen(`M ${x} ${y}`);
      const t0 = process.hrtime.bigint();
      await run(x, y);
      const t1 = await event;
      if (i >= 50) us.push(Number(t1 - t0) / 1000); // the first 50 warm up
    }
    return us;
  }

  const dispatcher = createInputDispatcher(backend.input);
  const message = (x: number, y: number) =>
    JSON.stringify({ type: 'pointer_move', x: pixelToNormalized(x, 1280), y: pixelToNormalized(y, 720) });
  const viaMessage = await measure((x, y) => {
    const parsed = parseJsonFrame(DataChannelMessageSchema, message(x, y), DC_MAX_MESSAGE_BYTES);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return dispatcher.dispatch(parsed.value as InputMessage);
  }, count);
  const viaApi = await measure((x, y) => backend.input.pointerMove(x, y), count);
  mouse.config.autoDelayMs = 0;
  const viaNutJs = await measure((x, y) => mouse.setPosition(new Point(x, y)), count);

  const keyUs: number[] = [];
  for (let i = 0; i < count + 50; i++) {
    const event = seen('K 38');
    const t0 = process.hrtime.bigint();
    await backend.input.key('KeyA', 'down');
    const t1 = await event;
    await backend.input.key('KeyA', 'up');
    if (i >= 50) keyUs.push(Number(t1 - t0) / 1000);
  }
  await backend.close();
  observer.kill();
  const floor = await runFloor(floorBin!, xvfb.display, 'warp', String(count + 50));
  return { viaMessage, viaApi, viaNutJs, keyUs, floorWarpUs: floor.warpUs?.slice(50) };
}

const result = mode === 'capture' ? await capture() : mode === 'inject' ? await inject() : undefined;
if (result === undefined) {
  console.error('usage: bench-worker.ts capture <w> <h> <seconds> <fps> <floor> | inject <count> <floor>');
  process.exit(2);
}
process.stdout.write(`${JSON.stringify(result)}\n`);
