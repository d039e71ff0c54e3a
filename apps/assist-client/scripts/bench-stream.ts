// Capture-to-receive latency of the host engine's video path, for bench/host:
// X11 grab → I420 → wrtc video source → VP8 → loopback WebRTC → decoded frame
// at a Node agent. Each frame carries its number in ten 32x32 blocks of the Y
// plane (black or white survive the encoder), so the receiver knows exactly
// which capture it sees. Prints JSON: {width, height, sent, received, latenciesMs}.
// Usage: node apps/assist-client/scripts/bench-stream.ts <width> <height> <seconds>
import wrtc from '@roamhq/wrtc';
import { selectBackend } from '@beckon/capture';
import { startXvfb } from '@beckon/capture/testing';
import { Peer, type RtcImplementation } from '@beckon/session';

const [width, height, seconds] = process.argv.slice(2).map(Number) as [number, number, number];
const BITS = 10;
const BLOCK = 32;

const xvfb = await startXvfb({ width, height });
const selected = await selectBackend('linux', { display: xvfb.display });
if (!selected.ok) throw new Error(selected.error.message);
const backend = selected.backend;
const rtc = wrtc as unknown as RtcImplementation & {
  nonstandard: {
    RTCVideoSource: new () => {
      createTrack(): MediaStreamTrack;
      onFrame(f: { width: number; height: number; data: Uint8Array }): void;
    };
    RTCVideoSink: new (t: MediaStreamTrack) => {
      onframe: ((e: { frame: { width: number; data: Uint8Array } }) => void) | null;
      stop(): void;
    };
  };
};
const source = new rtc.nonstandard.RTCVideoSource();
const track = source.createTrack();
let agent: Peer | null = null;
const host: Peer = new Peer({
  initiator: false,
  wrtc: rtc,
  videoTrack: track,
  onSignal: (d) => agent?.signal(d),
});
agent = new Peer({ initiator: true, wrtc: rtc, onSignal: (d) => host.signal(d) });

const capturedAt = new Map<number, number>();
const latencies: number[] = [];
let received = 0;
agent.on('stream', (_s, t) => {
  const sink = new rtc.nonstandard.RTCVideoSink(t);
  sink.onframe = ({ frame }) => {
    received++;
    let n = 0;
    for (let b = 0; b < BITS; b++) {
      const x = b * BLOCK + BLOCK / 2;
      if ((frame.data[(BLOCK / 2) * frame.width + x] ?? 0) > 128) n |= 1 << b;
    }
    const t0 = capturedAt.get(n);
    if (t0 !== undefined) {
      latencies.push(performance.now() - t0);
      capturedAt.delete(n);
    }
  };
});
await new Promise<void>((resolve) => agent.on('connected', () => resolve()));

let buffer: Uint8Array | undefined;
let sent = 0;
const end = performance.now() + seconds * 1000;
while (performance.now() < end) {
  const t0 = performance.now();
  // The streamer's own call: MIT-SHM + the C converter where available.
  const i420 = await backend.grabI420(undefined, buffer);
  buffer = i420.data;
  const n = sent % (1 << BITS);
  for (let b = 0; b < BITS; b++) {
    const value = n & (1 << b) ? 235 : 16;
    for (let y = 0; y < BLOCK; y++)
      i420.data.fill(value, y * i420.width + b * BLOCK, y * i420.width + (b + 1) * BLOCK);
  }
  capturedAt.set(n, t0);
  source.onFrame(i420);
  sent++;
  await new Promise((r) => setTimeout(r, Math.max(1, 1000 / 30 - (performance.now() - t0))));
}
await new Promise((r) => setTimeout(r, 500));
process.stdout.write(JSON.stringify({ width, height, sent, received, latenciesMs: latencies }));
agent.close();
host.close();
await backend.close();
// process.exit: @roamhq/wrtc crashes Node's teardown once a track was used.
process.exit(0);
