/// <reference lib="dom" />
// Beckon's receiving glass: the console's engine (@beckon/session's
// AgentSession on Chromium's own WebRTC, as in the agent console) showing the
// host's screen in a <video> like RemoteView's, watched frame by frame with
// requestVideoFrameCallback. Bundled for the browser by pages.ts.
import { AgentSession } from '@beckon/session';
import { Probe, epochOf, type GlassApi } from './probe.ts';

export interface AgentGlass extends GlassApi {
  start(o: { brokerUrl: string; requestId: string; token: string }): Promise<void>;
  /** The inbound video's cumulative counters, and the codec it uses. */
  stats(): Promise<Record<string, number | string>>;
  /** What the session went through since start, one line per event with its time. */
  trail(): string[];
  close(): void;
}

const probe = new Probe();
const video = document.querySelector('video')!;
let session: AgentSession | null = null;

function onFrame(_now: number, meta: VideoFrameCallbackMetadata): void {
  probe.look(video, meta.width / 1280, {
    ...(meta.captureTime !== undefined ? { captureAt: epochOf(meta.captureTime) } : {}),
    ...(meta.receiveTime !== undefined ? { receiveAt: epochOf(meta.receiveTime) } : {}),
    displayAt: epochOf(meta.expectedDisplayTime),
  });
  video.requestVideoFrameCallback(onFrame);
}
video.requestVideoFrameCallback(onFrame);

const INBOUND = [
  'framesReceived',
  'framesDecoded',
  'framesDropped',
  'totalDecodeTime',
  'totalProcessingDelay',
  'totalAssemblyTime',
  'framesAssembledFromMultiplePackets',
  'jitterBufferDelay',
  'jitterBufferTargetDelay',
  'jitterBufferMinimumDelay',
  'jitterBufferEmittedCount',
  'bytesReceived',
  'packetsReceived',
  'keyFramesDecoded',
  'freezeCount',
  'frameWidth',
] as const;

const trail: string[] = [];

const glass: AgentGlass = {
  arm: (c) => probe.arm(c),
  result: (ms) => probe.result(ms),
  colour: () => probe.colour(),
  pictures: () => probe.pictures(),
  changes: (since) => probe.changes(since),
  start({ brokerUrl, requestId, token }) {
    const s = new AgentSession({ brokerUrl, requestId, token });
    session = s;
    // What the session went through, for a path that does not go live (paths.ts prints it).
    const t0 = performance.now();
    const note = (what: string) => trail.push(`${Math.round(performance.now() - t0)} ms ${what}`);
    s.on('phase', (p) => note(`phase ${p}`));
    s.on('signaling', (st) => note(`signaling ${st}`));
    s.on('client', (present) => note(`client ${present ? 'present' : 'gone'}`));
    s.on('consent', (c) => note(`consent ${c.granted ? 'granted' : 'refused'}`));
    s.on('problem', (m) => note(`problem ${m}`));
    s.on('ended', (e) => note(`ended ${e.reason}`));
    s.on('stream', (stream) => {
      note('stream');
      video.srcObject = stream;
      void video.play();
    });
    // Connect once the end user's client is in the room (as the agent would, on seeing it online).
    s.on('client', (present) => {
      if (present && s.phase === 'idle') s.connect(['view']);
    });
    s.start();
    return new Promise((resolve, reject) => {
      s.once('live', () => resolve());
      s.once('refused', (r) => reject(new Error(r.message)));
    });
  },
  trail: () => trail,
  async stats() {
    const report = await session?.peer?.getStats();
    const all = new Map<string, Record<string, unknown>>();
    report?.forEach((s: Record<string, unknown>) => all.set(String(s['id']), s));
    const out: Record<string, number | string> = {};
    for (const s of all.values()) {
      if (s['type'] !== 'inbound-rtp' || s['kind'] !== 'video') continue;
      for (const k of INBOUND) if (typeof s[k] === 'number') out[k] = s[k];
      out['codec'] = String(all.get(String(s['codecId']))?.['mimeType'] ?? '');
    }
    return out;
  },
  close() {
    session?.close();
  },
};
(window as unknown as { glass: AgentGlass }).glass = glass;
