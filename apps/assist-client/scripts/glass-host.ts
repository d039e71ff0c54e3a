// The host side of bench/glass, one process per path, so the bench (which may
// not import app sources) reaches the assist client only through this file:
//   node glass-host.ts headless <broker url> <link token> <fps>
//   node glass-host.ts renderer <broker url> <link token> <fps>
//   node glass-host.ts engine <broker url> <link token> <fps>
// `headless` is the Node engine (X11 grab → wrtc); `renderer` is the Electron
// client's window path (Chromium getDisplayMedia + WebRTC in the built renderer,
// main's modules in this process: its media on Windows, macOS and Wayland);
// `engine` is the Electron client on X11 (main's modules with EngineMedia: the
// engine's grab and wrtc in main, desktop/media-choice.ts). Consent is answered Allow at once: the
// bench measures the picture's way, not a person. Prints {"ready":true} once
// joined; SIGTERM ends it. Each line `stats` on stdin is answered with one
// JSON line {"stats": …}: the sender's outbound video counters (renderer path; {} for the
// headless one), for the bench's breakdown of where the time goes.
import { selectBackend } from '@beckon/capture';
import { CHROMIUM_SWITCHES, chromiumFlags } from '@beckon/session';
import { CAPTURE_WHOLE_SCREEN, CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../../testing/chromium.ts';
import wrtc from '@roamhq/wrtc';
import { mkdtempSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DesktopHost } from '../src/desktop/desktop-host.ts';
import { EngineMedia } from '../src/desktop/engine-media.ts';
import type { HostMedia } from '../src/desktop/host-media.ts';
import { MediaBridge } from '../src/desktop/media-bridge.ts';
import { HostSession } from '../src/engine/host-session.ts';

const [mode, brokerUrl, token, fpsArg] = process.argv.slice(2);
if ((mode !== 'headless' && mode !== 'renderer' && mode !== 'engine') || !brokerUrl || !token) {
  console.error('usage: glass-host.ts headless|renderer|engine <broker url> <link token> [fps]');
  process.exit(2);
}
const fps = Number(fpsArg ?? 30);
const selected = await selectBackend('linux', { display: process.env['DISPLAY'] ?? ':0' });
if (!selected.ok) throw new Error(selected.error.message);
const backend = selected.backend;
const downloadDir = mkdtempSync(join(tmpdir(), 'beckon-glass-'));
const target = { kind: 'token', token } as const;
let stop: () => Promise<void>;
let senderStats: () => Promise<Record<string, unknown>> = async () => ({});

/** The Electron client's main (DesktopHost) with `media`, its windows answering Allow at once. */
const desktopHost = (media: HostMedia) =>
  new DesktopHost({
    brokerUrl,
    target,
    backend,
    ui: {
      askConsent: async () => 'allow',
      confirmFile: async () => false,
      showIndicator() {},
      hideIndicator() {},
    },
    media,
    downloadDir,
    maxFrameRate: fps,
  });

if (mode === 'headless') {
  const host = new HostSession({
    brokerUrl,
    target,
    backend,
    wrtc: wrtc as never,
    ui: { askConsent: async () => ({ allow: true }), confirmFile: async () => false },
    downloadDir,
    fps,
    // BENCH_DEBUG: the engine's own log on stderr, beside the bench's.
    ...(process.env['BENCH_DEBUG'] && { log: (line: string) => console.error(`[glass-host] ${line}`) }),
  });
  await host.start();
  stop = async () => host.leave('bench over');
} else if (mode === 'engine') {
  const host = desktopHost(new EngineMedia({ backend, wrtc: wrtc as never }));
  await host.start();
  stop = async () => host.leave('bench over');
} else {
  const { chromium } = await import('@playwright/test');
  const { buildRenderers, serveRenderers } = await import('../e2e/harness/renderer-bundle.ts');
  const { PageWindows } = await import('../e2e/harness/page-windows.ts');
  const served = await serveRenderers(await buildRenderers());
  const browser = await chromium.launch({
    headless: false,
    executablePath: CHROMIUM_PATH,
    args: [
      ...CHROMIUM_FLAGS,
      CAPTURE_WHOLE_SCREEN,
      '--window-position=900,480',
      // Real addresses in ICE (bench/glass's WAN link is point to point: no multicast for mDNS names).
      '--disable-features=WebRtcHideLocalIpsWithMdns',
      // What the Electron client's main sets (the renderer runs in Electron's Chromium).
      ...chromiumFlags(CHROMIUM_SWITCHES.host),
    ],
  });
  // The page must see the real screen's size (Playwright would report the viewport's): Chromium sizes the capture by it.
  const context = await browser.newContext({
    viewport: { width: 320, height: 200 },
    screen: { width: 1280, height: 720 },
  });
  // Bench instrumentation only: keep the page's peer connections reachable for getStats.
  await context.addInitScript(() => {
    const w = window as unknown as { __glassPcs: RTCPeerConnection[] };
    const PC = window.RTCPeerConnection;
    w.__glassPcs = [];
    window.RTCPeerConnection = class extends PC {
      constructor(config?: RTCConfiguration) {
        super(config);
        w.__glassPcs.push(this);
      }
    };
  });
  const windows = await PageWindows.create(context, served.url);
  const media = new MediaBridge(windows);
  media.attach(windows.open('host', () => {}));
  const host = desktopHost(media);
  await host.start();
  senderStats = async () => {
    const page = windows.pages.get('host');
    return page ? page.evaluate(outboundVideo) : {};
  };
  stop = async () => {
    host.leave('bench over');
    await browser.close();
    await served.close();
  };
}

/** Runs in the host window: the newest peer connection's outbound video counters and codec. */
async function outboundVideo(): Promise<Record<string, unknown>> {
  const pcs = (window as unknown as { __glassPcs: RTCPeerConnection[] }).__glassPcs;
  const report = await pcs[pcs.length - 1]?.getStats();
  const out: Record<string, unknown> = {};
  report?.forEach((s: Record<string, unknown>) => {
    if (s['type'] === 'outbound-rtp' && s['kind'] === 'video') {
      for (const [k, v] of Object.entries(s)) if (typeof v === 'number' || k.endsWith('Reason')) out[k] = v;
      out['encoderImplementation'] = s['encoderImplementation'];
      out['codec'] = (report.get(String(s['codecId'])) as { mimeType?: string } | undefined)?.mimeType;
    }
    if (s['type'] === 'media-source' && s['kind'] === 'video') {
      out['sourceFrames'] = s['frames'];
      out['sourceFps'] = s['framesPerSecond'];
    }
  });
  return out;
}

console.log(JSON.stringify({ ready: true }));
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line.trim() !== 'stats') return;
  void senderStats().then(
    (stats) => console.log(JSON.stringify({ stats })),
    (err: Error) => console.log(JSON.stringify({ stats: { error: err.message } })),
  );
});
process.once('SIGTERM', () => {
  void stop()
    .catch(() => {})
    .finally(() => process.exit(0));
});
