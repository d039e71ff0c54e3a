import { expect, test } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import wrtc from '@roamhq/wrtc';
import { SignalDataSchema, parseWith, type DataChannelMessage, type SignalData } from '@beckon/protocol';
import {
  FileTransfers,
  Peer,
  SCREEN_BITS_PER_PIXEL,
  type FileSink,
  type RtcImplementation,
} from '../src/index.ts';
import { Sha256 } from '../src/sha256.ts';
import { sdpVideoCodecs } from '../src/testing/sdp.ts';
import type { PageApi } from './page-entry.ts';

// A Chromium page and a Node (@roamhq/wrtc) peer, connected by the package on
// both sides with the signals relayed through Playwright instead of a broker:
// the browser bundle really is browser-safe, and the two WebRTC stacks agree
// on negotiated channels, the video m-line and the verification code.

// @roamhq/wrtc crashes in its finalizers when Node tears down after media was
// used (see src/testing/pair.ts); leave without that teardown.
process.on('exit', (code) => (process as unknown as { reallyExit(c: number): never }).reallyExit(code));

const rtc = wrtc as unknown as RtcImplementation;
const W = 320;
const H = 240;
const COLOUR = [230, 40, 30]; // a red no codec turns into another colour

/**
 * Bundles page-entry.ts for the browser with rolldown (what Vite 8 bundles
 * with). Not a devDependency of this package yet, so it is loaded from pnpm's
 * hoisted store when the bare name does not resolve.
 */
interface Rolldown {
  build(options: {
    input: string;
    platform: 'browser';
    write: false;
    logLevel: 'warn';
    output: { format: 'esm' };
  }): Promise<{ output: [{ code: string }] }>;
}
async function bundle(): Promise<string> {
  let rolldown: Rolldown;
  const name = 'rolldown';
  try {
    rolldown = (await import(name)) as Rolldown;
  } catch {
    const hoisted = new URL(
      '../../../node_modules/.pnpm/node_modules/rolldown/dist/index.mjs',
      import.meta.url,
    );
    rolldown = (await import(hoisted.href)) as Rolldown;
  }
  const out = await rolldown.build({
    input: fileURLToPath(new URL('./page-entry.ts', import.meta.url)),
    platform: 'browser',
    write: false,
    logLevel: 'warn',
    output: { format: 'esm' },
  });
  const code = out.output[0].code;
  // Nothing Node-only may survive into the browser bundle.
  expect(code).not.toMatch(/["']node:[a-z_]+["']/);
  expect(code).not.toMatch(/\bBuffer\.from\b|\bprocess\.nextTick\b/);
  return code;
}

/** A solid-colour video track from wrtc's RTCVideoSource. */
function colourTrack() {
  const { RTCVideoSource, rgbaToI420 } = wrtc.nonstandard;
  const source = new RTCVideoSource();
  const track = source.createTrack();
  const rgba = new Uint8Array(W * H * 4);
  for (let i = 0; i < rgba.length; i += 4) rgba.set([COLOUR[0]!, COLOUR[1]!, COLOUR[2]!, 255], i);
  const i420 = new Uint8Array(W * H * 1.5);
  rgbaToI420({ width: W, height: H, data: rgba }, { width: W, height: H, data: i420 });
  const timer = setInterval(() => source.onFrame({ width: W, height: H, data: i420 }), 33);
  return {
    track: track as unknown as MediaStreamTrack,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}

let server: Server;
let url: string;

test.beforeAll(async () => {
  const code = await bundle();
  const html =
    '<!doctype html><title>peer</title><video autoplay muted playsinline></video>' +
    '<script type="module" src="/bundle.js"></script>';
  server = createServer((req, res) => {
    if (req.url === '/bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(code);
    else res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

test('a Chromium agent and a Node host connect, talk on all channels, stream video and agree on the code', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const video = colourTrack();
  const check = (data: SignalData, from: string) => {
    const parsed = parseWith(SignalDataSchema, data);
    if (!parsed.ok) throw new Error(`${from} signal off the protocol: ${parsed.error.message}`);
    return parsed.value;
  };
  // Node → page signals go one at a time, in order, as over the broker's socket.
  let toPage = Promise.resolve();
  const host = new Peer({
    initiator: false,
    wrtc: rtc,
    videoTrack: video.track,
    onSignal: (data) => {
      const checked = check(data, 'node');
      toPage = toPage.then(() =>
        page.evaluate((d) => (window as unknown as PageApi).fromNode(d), checked).catch(() => {}),
      );
    },
  });
  const fromPage: string[] = [];
  host.on('message', (m: DataChannelMessage, label) => fromPage.push(`${label}:${m.type}`));
  const received = new Sha256();
  let receivedBytes = 0;
  const sink: FileSink = {
    write: async (chunk) => {
      received.update(chunk);
      receivedBytes += chunk.length;
    },
    close: async () => {},
    abort: async () => {},
  };
  const files = new FileTransfers(host.filesTransport(), { onOffer: async () => ({ accept: true, sink }) });
  const fileDone = new Promise<string>((resolve) => files.on('complete', (d) => resolve(d.sha256)));

  try {
    const fromAgent: SignalData[] = [];
    await page.exposeBinding('toNode', (_source, data: SignalData) => {
      const checked = check(data, 'page');
      fromAgent.push(checked);
      host.signal(checked);
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof (window as unknown as PageApi).startAgent === 'function');
    const up = await page.evaluate(() => (window as unknown as PageApi).startAgent());
    expect(up).toEqual({ relayed: false });
    await expect.poll(() => host.state).toBe('connected');

    // Chromium's offer lists H264 before AV1 by itself; the agent's puts VP8, VP9, AV1 first.
    const offer = fromAgent.find((s) => s.type === 'offer');
    expect(offer?.type === 'offer' && sdpVideoCodecs(offer.sdp).slice(0, 4)).toEqual([
      'VP8',
      'VP9',
      'AV1',
      'H264',
    ]);

    // Page → Node on all three channels, including a file over `files`.
    expect(await page.evaluate(() => (window as unknown as PageApi).sendAll())).toEqual([true, true, true]);
    const sha = await page.evaluate(() => (window as unknown as PageApi).sendFile(300_000));
    expect(await fileDone).toBe(sha);
    expect(receivedBytes).toBe(300_000);
    expect(received.hex()).toBe(sha);
    await expect
      .poll(() => [...fromPage].filter((t) => !t.startsWith('files:')).sort())
      .toEqual(['control:key', 'control:pointer_button', 'pointer:pointer_move']);

    // Node → page on all three channels (forgetting the file answer and acks seen so far).
    await page.evaluate(() => void ((window as unknown as PageApi).received.length = 0));
    host.sendMessage({ type: 'clipboard', text: 'from node' });
    host.sendMessage({ type: 'pointer_move', x: 1, y: 0 });
    host.sendMessage({ type: 'file_cancel', transferId: crypto.randomUUID(), reason: 'just a test' });
    await expect
      .poll(() => page.evaluate(() => [...(window as unknown as PageApi).received].sort()))
      .toEqual(['control:clipboard', 'files:file_cancel', 'pointer:pointer_move']);

    // The Node track plays in the page's <video>, in its colour.
    await expect
      .poll(() => page.evaluate(() => (window as unknown as PageApi).videoPixel()), { timeout: 20_000 })
      .toMatchObject({ width: W, height: H });
    const pixel = await page.evaluate(() => (window as unknown as PageApi).videoPixel());
    pixel!.rgb.forEach((value, i) => expect(Math.abs(value - COLOUR[i]!)).toBeLessThan(24));

    const [pageCode, nodeCode] = await Promise.all([
      page.evaluate(() => (window as unknown as PageApi).code()),
      host.verificationCode(),
    ]);
    expect(pageCode).toMatch(/^\d{3} \d{3}$/);
    expect(pageCode).toBe(nodeCode);
    expect(await page.evaluate(() => (window as unknown as PageApi).invalid)).toBe(0);
    expect(host.invalidMessages).toBe(0);
    expect(errors).toEqual([]);
  } finally {
    files.dispose();
    host.close();
    video.stop();
  }
});

test('a Chromium host streams a canvas to a Node agent, which decodes it', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const GREEN = [30, 200, 60];
  // The page's host must exist before the agent's offer comes.
  await page.exposeBinding('toNode', (_source, data: SignalData) => {
    const checked = parseWith(SignalDataSchema, data);
    if (!checked.ok) throw new Error(`page signal off the protocol: ${checked.error.message}`);
    agent.signal(checked.value);
  });
  await page.goto(url);
  await page.waitForFunction(() => typeof (window as unknown as PageApi).startHost === 'function');
  await page.evaluate((rgb) => {
    const api = window as unknown as PageApi;
    api.hostUp = api.startHost(rgb);
  }, GREEN);
  let toPage = Promise.resolve();
  const agent = new Peer({
    initiator: true,
    wrtc: rtc,
    onSignal: (data) => {
      const checked = parseWith(SignalDataSchema, data);
      if (!checked.ok) throw new Error(`node signal off the protocol: ${checked.error.message}`);
      toPage = toPage.then(() =>
        page.evaluate((d) => (window as unknown as PageApi).fromNode(d), checked.value).catch(() => {}),
      );
    },
  });
  const { RTCVideoSink, i420ToRgba } = wrtc.nonstandard;
  let sink: InstanceType<typeof RTCVideoSink> | null = null;
  const frame = new Promise<{ width: number; height: number; rgb: number[] }>((resolve) => {
    agent.on('stream', (_stream, track) => {
      sink = new RTCVideoSink(track as never);
      let seen = 0;
      sink.onframe = ({ frame: f }: { frame: { width: number; height: number; data: Uint8Array } }) => {
        // Skip the first frames: the encoder starts blurry.
        if (++seen < 10) return;
        const rgba = new Uint8Array(f.width * f.height * 4);
        i420ToRgba(f, { width: f.width, height: f.height, data: rgba });
        const at = ((f.height >> 1) * f.width + (f.width >> 1)) * 4;
        resolve({ width: f.width, height: f.height, rgb: [rgba[at]!, rgba[at + 1]!, rgba[at + 2]!] });
      };
    });
  });
  try {
    const up = await page.evaluate(() => (window as unknown as PageApi).hostUp);
    expect(up).toEqual({ relayed: false });
    // Chromium took the screen's bitrate cap (capScreenBitrate: 1.3 bit/s per pixel).
    expect(await page.evaluate(() => (window as unknown as PageApi).videoMaxBitrates())).toEqual([
      Math.round(320 * 240 * SCREEN_BITS_PER_PIXEL),
    ]);

    const got = await frame;
    expect({ width: got.width, height: got.height }).toEqual({ width: W, height: H });
    // Chromium tags the canvas stream BT.709 and wrtc's i420ToRgba assumes
    // BT.601, so the exact shade shifts (about 30,200,60 → 35,245,59); the
    // picture is still unmistakably the painted green.
    const [r, g, b] = got.rgb as [number, number, number];
    expect(g - r).toBeGreaterThan(120);
    expect(g - b).toBeGreaterThan(120);

    agent.sendMessage({ type: 'pointer_wheel', dx: 0, dy: -120 });
    agent.sendMessage({ type: 'pointer_move', x: 0.1, y: 0.9 });
    await expect
      .poll(() => page.evaluate(() => [...(window as unknown as PageApi).received].sort()))
      .toEqual(['control:pointer_wheel', 'pointer:pointer_move']);
    const [pageCode, nodeCode] = await Promise.all([
      page.evaluate(() => (window as unknown as PageApi).code()),
      agent.verificationCode(),
    ]);
    expect(pageCode).toBe(nodeCode);
    expect(errors).toEqual([]);
  } finally {
    (sink as { stop(): void } | null)?.stop();
    agent.close();
  }
});
