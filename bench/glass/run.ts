import { CHROMIUM_SWITCHES, chromiumFlags } from '@beckon/session';
import { startBroker } from '@beckon/broker/testing';
import { fmt, printTable } from '../lib/table.ts';
import { servePages } from './pages.ts';
import { beckon, novnc, rawRfb, type Bench, type PathResult } from './paths.ts';
import { latency, pageLatency } from './receiver.ts';
import { BREAKDOWN_HEADER, breakdownRow, pct } from './report.ts';
import { H, SQUARE, W, startEye, startFlipper, startXvfb } from './screen.ts';

// bench/glass: glass-to-glass latency at 1280x720. A 200x200 square flips
// between red and blue on a private Xvfb screen (flipper.py answers with the
// time the X server had the new colour). Every receiver is Chromium on a
// second Xvfb screen, and eye.py times the flip where a person would see it:
// the pixel at the square's centre on that screen. In the same run, on the
// same host screen:
// - x11vnc tuned as the issue names (-wait 5 -defer 5 -nonap) into the real
//   noVNC (1.7) in Chromium, through a WebSocket bridge as websockify carries it;
// - Beckon, assist renderer path: the built renderer in Debian Chromium
//   (getDisplayMedia + WebRTC), main's modules in Node (glass-host.ts);
// - Beckon, headless engine: X11 grab → I420 → wrtc;
//   both into the console's engine (AgentSession) in Chromium, into a <video>;
//   the renderer path's Chromium runs with the switches the assist client's
//   Electron main sets, and the headless engine is watched twice: by the
//   agent desktop (Chromium with its Electron main's switches) and by the web
//   console in a plain browser (no switches: a page cannot set them);
// - x11vnc read by a bare Node RFB client: the floor with no browser at all.

const FLIPS = Number(process.env['BENCH_FLIPS'] ?? 60);
/** The senders' frame rates: each face's default (DesktopHost 60, HostSession 30). */
const RENDERER_FPS = Number(process.env['BENCH_RENDERER_FPS'] ?? 60);
const HEADLESS_FPS = Number(process.env['BENCH_HEADLESS_FPS'] ?? 30);
/** noVNC's qualityLevel/compressionLevel (its defaults: others measured no faster). */
const [QUALITY, COMPRESSION] = (process.env['BENCH_NOVNC'] ?? '6/2').split('/').map(Number) as [
  number,
  number,
];
/** Only the paths whose name contains one of these (comma-separated), e.g. `noVNC,renderer`. */
const ONLY = process.env['BENCH_PATHS']?.split(',');
const TARGET_MS = 30;

const hostScreen = await startXvfb(W, H);
const rxScreen = await startXvfb(W, H + 100);
const eye = await startEye(rxScreen.display, W, H + 100);
const flipper = await startFlipper(hostScreen.display);
const pages = await servePages();
const broker = await startBroker({ BECKON_ALLOWED_ORIGINS: pages.origin });
const bench: Bench = {
  hostDisplay: hostScreen.display,
  rxDisplay: rxScreen.display,
  eye,
  flip: flipper.flip,
  pages,
  broker,
  flips: FLIPS,
  debug: Boolean(process.env['BENCH_DEBUG']),
};
/** What the agent desktop's Electron main sets for its Chromium (the console's renderer). */
const desktopConsole = chromiumFlags(CHROMIUM_SWITCHES.agent);

const PEER = 'x11vnc tuned → noVNC (Chromium)';
const paths: [string, () => Promise<PathResult>][] = [
  [PEER, () => novnc(bench, QUALITY, COMPRESSION)],
  [
    `Beckon assist client (renderer path), ${RENDERER_FPS} fps → web console`,
    () => beckon(bench, { mode: 'renderer', fps: RENDERER_FPS }),
  ],
  [
    `Beckon headless, ${HEADLESS_FPS} fps → agent desktop console`,
    () => beckon(bench, { mode: 'headless', fps: HEADLESS_FPS, receiverFlags: desktopConsole }),
  ],
  [
    `Beckon headless, ${HEADLESS_FPS} fps → web console`,
    () => beckon(bench, { mode: 'headless', fps: HEADLESS_FPS }),
  ],
  ['x11vnc tuned → bare Node RFB client (no browser, no screen)', () => rawRfb(bench)],
];

const results = new Map<string, PathResult | Error>();
for (const [name, run] of paths)
  if (!ONLY || ONLY.some((o) => name.includes(o))) results.set(name, await run().catch((err: Error) => err));

const peer = results.get(PEER);
const peerP50 = peer instanceof Error || !peer ? NaN : pct(peer.flips.map(latency), 0.5);
const rows = [...results].map(([name, r]) => {
  if (r instanceof Error)
    return [name, 0, '-', '-', '-', '-', '-', '-', `failed: ${r.message.split('\n')[0]!}`];
  const l = r.flips.map(latency);
  const p50 = pct(l, 0.5);
  return [
    name,
    l.length,
    fmt(p50),
    fmt(pct(l, 0.95)),
    fmt(pct(l, 0.99)),
    fmt(p50 / peerP50, 2),
    fmt(pct(r.flips.map(pageLatency), 0.5)),
    fmt(r.fps),
    r.note,
  ];
});
printTable(
  `Glass-to-glass latency, ${W}x${H}, a ${SQUARE.size}x${SQUARE.size} square flipping, ${FLIPS} flips per path: ` +
    'from the host screen to the receiver’s screen',
  ['path', 'flips', 'p50 ms', 'p95 ms', 'p99 ms', 'p50 / noVNC p50', 'in-page p50', 'pictures/s', 'notes'],
  rows,
);
printTable(
  'Where the time goes, ms: medians per flip from the receiving page’s stamps; per-frame means from getStats',
  BREAKDOWN_HEADER,
  [...results].flatMap(([name, r]) => (r instanceof Error ? [] : [breakdownRow(name, r.breakdown)])),
);
console.log(`\nTarget: p50 <= ${TARGET_MS} ms and no worse than ${PEER} (p50 ${fmt(peerP50)} ms):`);
for (const [name, r] of results) {
  if (!name.startsWith('Beckon')) continue;
  const p50 = r instanceof Error ? NaN : pct(r.flips.map(latency), 0.5);
  const met = p50 <= TARGET_MS && p50 <= peerP50;
  console.log(`- ${name}: p50 ${fmt(p50)} ms: ${met ? 'met' : 'NOT met'}`);
}

await pages.close();
await broker.stop();
for (const proc of [flipper.proc, eye.proc, hostScreen.proc, rxScreen.proc]) proc.kill();
// Leave at once: the bridge's and the children's handles need not hold the process.
process.exit(0);
