// The browser half of chromium-peer.e2e.ts: bundled for the browser exactly
// as an app would bundle the package, then driven by the test through `window`.
import type { DataChannelMessage, SignalData } from '@beckon/protocol';
import { FileTransfers, Peer, bytesSource, capScreenBitrate } from '../src/index.ts';

export interface PageApi {
  /** Provided by the test (exposeBinding): a signal for the Node peer. */
  toNode(data: SignalData): Promise<void>;
  fromNode(data: SignalData): void;
  startAgent(): Promise<{ relayed: boolean }>;
  /** The page as the host instead, streaming a canvas painted in `rgb`. */
  startHost(rgb: number[]): Promise<{ relayed: boolean }>;
  hostUp: Promise<{ relayed: boolean }> | undefined;
  received: string[];
  invalid: number;
  sendAll(): boolean[];
  sendFile(size: number): Promise<string>;
  code(): Promise<string>;
  videoPixel(): { width: number; height: number; rgb: number[] } | null;
  /** The host's video sender's encoding caps (capScreenBitrate, applied once connected). */
  videoMaxBitrates(): (number | undefined)[];
}

const page = window as unknown as PageApi;
let peer: Peer | null = null;
page.received = [];
page.invalid = 0;

page.startAgent = () => {
  const agent = new Peer({ initiator: true, onSignal: (data) => void page.toNode(data) });
  peer = agent;
  page.fromNode = (data) => agent.signal(data);
  agent.on('message', (m: DataChannelMessage, label) => page.received.push(`${label}:${m.type}`));
  agent.on('invalid', () => (page.invalid += 1));
  agent.on('stream', (stream) => {
    const video = document.querySelector('video')!;
    video.srcObject = stream;
    void video.play();
  });
  return new Promise((resolve) => agent.once('connected', resolve));
};

page.startHost = (rgb) => {
  const canvas = document.createElement('canvas');
  canvas.width = 320;
  canvas.height = 240;
  const ctx = canvas.getContext('2d')!;
  // captureStream only emits a frame when the canvas changes: keep painting.
  const paint = (tick: number) => {
    ctx.fillStyle = `rgb(${rgb.join(',')})`;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = `rgb(${rgb.map((c) => c + (tick % 2)).join(',')})`;
    ctx.fillRect(0, 0, 1, 1);
  };
  let tick = 0;
  setInterval(() => paint(tick++), 33);
  const track = canvas.captureStream(30).getVideoTracks()[0]!;
  const host = new Peer({ initiator: false, videoTrack: track, onSignal: (data) => void page.toNode(data) });
  peer = host;
  page.fromNode = (data) => host.signal(data);
  host.on('message', (m: DataChannelMessage, label) => page.received.push(`${label}:${m.type}`));
  host.on('invalid', () => (page.invalid += 1));
  return new Promise((resolve) =>
    host.once(
      'connected',
      (info) => void capScreenBitrate(host.connection, 320, 240).then(() => resolve(info)),
    ),
  );
};

page.videoMaxBitrates = () =>
  peer!.connection
    .getSenders()
    .filter((s) => s.track?.kind === 'video')
    .flatMap((s) => s.getParameters().encodings.map((e) => e.maxBitrate));

page.sendAll = () => {
  const p = peer!;
  return [
    p.sendMessage({
      type: 'key',
      action: 'down',
      code: 'KeyB',
      key: 'b',
      modifiers: { shift: false, ctrl: true, alt: false, meta: false },
    }),
    p.sendMessage({ type: 'pointer_move', x: 0.5, y: 0.25 }),
    p.sendMessage({ type: 'pointer_button', button: 'right', action: 'up', x: 0.5, y: 0.25 }),
  ];
};

page.sendFile = async (size) => {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536)
    crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65_536)));
  const transfers = new FileTransfers(peer!.filesTransport());
  const done = await transfers.send({ name: 'from-chromium.bin', source: bytesSource(bytes) }).done;
  transfers.dispose();
  return done.sha256;
};

page.code = () => peer!.verificationCode();

page.videoPixel = () => {
  const video = document.querySelector('video')!;
  if (!video.videoWidth) return null;
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(video, 0, 0);
  const d = ctx.getImageData(canvas.width >> 1, canvas.height >> 1, 1, 1).data;
  return { width: video.videoWidth, height: video.videoHeight, rgb: [d[0]!, d[1]!, d[2]!] };
};
