/// <reference lib="dom" />
// (DOM for the WebRTC types of @beckon/session, which wrtc implements.)
import wrtc from '@roamhq/wrtc';
import { AgentSession, type RtcImplementation } from '@beckon/session';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fmt, printTable } from '../lib/table.ts';
import { RfbWatcher } from './rfb-client.ts';

// bench/glass: glass-to-glass latency at 1280x720. A 200x200 square flips
// between red and blue on a private Xvfb screen (flipper.py, which answers
// with the time the X server had the new colour); the receiving side looks
// at the square's centre in every picture it gets and notes when the new
// colour arrives. Three senders on the same screen in the same run:
// - Beckon, Electron client's fast path: Chromium getDisplayMedia + WebRTC
//   (the built renderer in Debian Chromium, main's modules in Node);
// - Beckon, headless engine: X11 grab → I420 → wrtc;
// - x11vnc, tuned (-wait 5 -defer 5 -nonap), read by a minimal RFB client
//   (bench/glass/rfb-client.ts: noVNC is a browser app and not installed).
// Beckon's receiver is the console's AgentSession on wrtc, decoding each frame.

// wrtc crashes Node's teardown once video was received: leave through process.exit.
const FLIPS = Number(process.env['BENCH_FLIPS'] ?? 40);
/** Frame rates the Beckon senders are measured at (the clients default to 30). */
const FPS_LIST = (process.env['BENCH_FPS'] ?? '30,60').split(',').map(Number);
const W = 1280;
const H = 720;
const SQUARE = { x: 100, y: 100, size: 200 };
const CENTRE = { x: SQUARE.x + SQUARE.size / 2, y: SQUARE.y + SQUARE.size / 2 };
const ADMIN = { email: 'bench@example.com', password: 'a long bench password' };
const here = import.meta.dirname;
const root = join(here, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (v: number[], q: number) =>
  [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))] ?? NaN;

type Colour = 'red' | 'blue' | 'other';
const HEX: Record<Exclude<Colour, 'other'>, string> = { red: '#ff0000', blue: '#0000ff' };
function classify([r, g, b]: readonly number[]): Colour {
  if (r! > 150 && g! < 100 && b! < 100) return 'red';
  if (b! > 150 && r! < 100 && g! < 100) return 'blue';
  return 'other';
}

/** What a receiver saw of the square: the colour now, and who waits for which. */
class Watch {
  colour: Colour = 'other';
  pictures = 0;
  private waiters: { colour: Colour; resolve: (at: number) => void }[] = [];
  see(colour: Colour, at: number): void {
    this.pictures++;
    this.colour = colour;
    for (const w of this.waiters.filter((x) => x.colour === colour)) w.resolve(at);
    this.waiters = this.waiters.filter((x) => x.colour !== colour);
  }
  until(colour: Colour, timeoutMs = 5000): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no ${colour} within ${timeoutMs} ms (seeing ${this.colour})`)),
        timeoutMs,
      );
      this.waiters.push({ colour, resolve: (at) => (clearTimeout(timer), resolve(at)) });
    });
  }
}

function lines(child: ChildProcess): AsyncIterator<string> {
  return createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
}

async function startXvfb(): Promise<{ display: string; proc: ChildProcess }> {
  const proc = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', `${W}x${H}x24`, '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const display = await new Promise<string>((resolve, reject) => {
    (proc.stdio[3] as NodeJS.ReadableStream).once('data', (d: Buffer) => resolve(`:${d.toString().trim()}`));
    proc.once('exit', (c) => reject(new Error(`Xvfb exited ${c}`)));
  });
  return { display, proc };
}

async function startBroker(dataDir: string) {
  const proc = spawn(process.execPath, [join(root, 'apps/broker/bin/beckon-broker.js'), 'serve'], {
    env: {
      ...process.env,
      BECKON_DATA_DIR: dataDir,
      BECKON_PORT: '0',
      BECKON_LOG_LEVEL: 'warn',
      BECKON_ADMIN_EMAIL: ADMIN.email,
      BECKON_ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const it = lines(proc);
  let url = '';
  while (!url) {
    const next = await it.next();
    if (next.done) throw new Error('the broker exited');
    url = /listening on (http:\/\/\S+)/.exec(next.value)?.[1] ?? '';
  }
  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.json() as Promise<Record<string, string>>;
  };
  const token = (await call('POST', '/api/v1/auth/login', ADMIN))['token']!;
  return { proc, url, token, call };
}

type Broker = Awaited<ReturnType<typeof startBroker>>;

/** Flips the square `FLIPS` times and returns each flip's latency as the watch saw it. */
async function measure(flip: (hex: string) => Promise<number>, watch: Watch): Promise<number[]> {
  const out: number[] = [];
  let colour: Exclude<Colour, 'other'> = watch.colour === 'red' ? 'blue' : 'red';
  for (let i = 0; i < FLIPS; i++) {
    const seen = watch.until(colour);
    const at = await flip(HEX[colour]);
    out.push((await seen) - at);
    colour = colour === 'red' ? 'blue' : 'red';
    await sleep(150 + Math.random() * 150);
  }
  return out;
}

async function beckon(
  mode: 'renderer' | 'headless',
  fps: number,
  display: string,
  broker: Broker,
  flip: (hex: string) => Promise<number>,
) {
  const request = await broker.call(
    'POST',
    '/api/v1/session-requests',
    { recipientName: 'Bench' },
    broker.token,
  );
  const token = request['customerLink']!.split('/j/')[1]!;
  const host = spawn(
    process.execPath,
    [join(root, 'apps/assist-client/scripts/glass-host.ts'), mode, broker.url, token, String(fps)],
    {
      env: { ...process.env, DISPLAY: display },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await lines(host).next();
  const watch = new Watch();
  const w = wrtc as unknown as RtcImplementation & {
    nonstandard: {
      RTCVideoSink: new (t: MediaStreamTrack) => {
        onframe: ((e: { frame: { width: number; height: number; data: Uint8Array } }) => void) | null;
        stop(): void;
      };
    };
  };
  const session = new AgentSession({
    brokerUrl: broker.url,
    requestId: request['id']!,
    token: broker.token,
    wrtc: w,
  });
  const sizes = new Set<string>();
  let sink: { stop(): void } | null = null;
  session.on('stream', (_s, track) => {
    const s = new w.nonstandard.RTCVideoSink(track);
    s.onframe = ({ frame }) => {
      const at = Date.now();
      sizes.add(`${frame.width}x${frame.height}`);
      const scale = frame.width / W;
      const x = Math.round(CENTRE.x * scale);
      const y = Math.round(CENTRE.y * scale);
      const { width, height, data } = frame;
      const Y = data[y * width + x]!;
      const U = data[width * height + (y >> 1) * (width >> 1) + (x >> 1)]! - 128;
      const V = data[width * height * 1.25 + (y >> 1) * (width >> 1) + (x >> 1)]! - 128;
      watch.see(classify([Y + 1.402 * V, Y - 0.344 * U - 0.714 * V, Y + 1.772 * U]), at);
    };
    sink = s;
  });
  const welcomed = new Promise<void>((resolve) =>
    session.signaling.on('message', (m) => m.type === 'welcome' && resolve()),
  );
  session.start();
  await welcomed;
  session.connect(['view']);
  // Warm up: the encoder starts small and the bandwidth estimate climbs.
  await watch.until('red', 20_000).catch(() => watch.until('blue', 1000));
  await sleep(3000);
  const t0 = Date.now();
  const pictures0 = watch.pictures;
  const latencies = await measure(flip, watch);
  const rate = ((watch.pictures - pictures0) * 1000) / (Date.now() - t0);
  (sink as { stop(): void } | null)?.stop();
  session.close();
  host.kill('SIGTERM');
  await new Promise((r) => host.once('exit', r));
  return { latencies, fps: rate, note: [...sizes].join(', ') };
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function vnc(display: string, flip: (hex: string) => Promise<number>) {
  const port = await freePort();
  const proc = spawn(
    'x11vnc',
    [
      '-display',
      display,
      '-rfbport',
      String(port),
      '-localhost',
      '-nopw',
      '-shared',
      '-forever',
      '-quiet',
      '-wait',
      '5',
      '-defer',
      '5',
      '-nonap',
    ],
    { stdio: 'ignore' },
  );
  const watch = new Watch();
  let client: RfbWatcher | null = null;
  for (let i = 0; i < 100 && !client; i++) {
    await sleep(100);
    const c = new RfbWatcher(port, CENTRE, (rgb, at) => watch.see(classify(rgb), at));
    await c.ready.then(
      () => (client = c),
      () => c.close(),
    );
  }
  if (!client) throw new Error('x11vnc did not come up');
  await sleep(1000);
  const t0 = Date.now();
  const pictures0 = watch.pictures;
  const latencies = await measure(flip, watch);
  const fps = ((watch.pictures - pictures0) * 1000) / (Date.now() - t0);
  (client as RfbWatcher).close();
  proc.kill('SIGTERM');
  return { latencies, fps, note: 'raw encoding, whole-screen incremental requests' };
}

const xvfb = await startXvfb();
const dataDir = mkdtempSync(join(tmpdir(), 'beckon-glass-'));
const broker = await startBroker(dataDir);
const flipper = spawn(
  'python3',
  ['-u', join(here, 'flipper.py'), String(SQUARE.x), String(SQUARE.y), String(SQUARE.size)],
  {
    env: { ...process.env, DISPLAY: xvfb.display },
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const answers = lines(flipper);
await answers.next();
const flip = async (hex: string) => {
  flipper.stdin!.write(`${hex}\n`);
  const next = await answers.next();
  return (JSON.parse(next.value as string) as { at: number }).at;
};

const rows: (string | number)[][] = [];
const paths: [string, () => Promise<{ latencies: number[]; fps: number; note: string }>][] = [
  ...FPS_LIST.flatMap((fps): typeof paths => [
    [
      `Beckon Electron path, ${fps} fps (Chromium getDisplayMedia + WebRTC)`,
      () => beckon('renderer', fps, xvfb.display, broker, flip),
    ],
    [
      `Beckon headless, ${fps} fps (X11 grab + wrtc)`,
      () => beckon('headless', fps, xvfb.display, broker, flip),
    ],
  ]),
  ['x11vnc -wait 5 -defer 5 -nonap (RFB raw)', () => vnc(xvfb.display, flip)],
];
for (const [name, run] of paths) {
  try {
    const r = await run();
    rows.push([
      name,
      r.latencies.length,
      fmt(pct(r.latencies, 0.5)),
      fmt(pct(r.latencies, 0.95)),
      fmt(Math.max(...r.latencies)),
      fmt(r.fps),
      r.note,
    ]);
  } catch (err) {
    rows.push([name, 0, '-', '-', '-', '-', `failed: ${(err as Error).message}`]);
  }
}
printTable(
  `Glass-to-glass latency, ${W}x${H}, a ${SQUARE.size}x${SQUARE.size} square flipping (${FLIPS} flips per path)`,
  ['path', 'flips', 'p50 ms', 'p95 ms', 'max ms', 'pictures/s', 'received'],
  rows,
);
flipper.kill();
broker.proc.kill('SIGTERM');
xvfb.proc.kill();
rmSync(dataDir, { recursive: true, force: true });
process.exit(0);
