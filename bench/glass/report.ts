import { fmt } from '../lib/table.ts';
import type { Flip } from './receiver.ts';

// What the glass bench prints besides the latencies: where each path's time
// goes. Per flip, from the receiving page's own stamps (requestVideoFrameCallback
// metadata for video, noVNC's canvas update for noVNC), and per frame from
// getStats on both WebRTC ends over the measured flips.

export type Stats = Record<string, number | string>;

/** Nearest-rank percentile. */
export function pct(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? NaN;
}

const median = (v: number[]) => (v.length ? fmt(pct(v, 0.5)) : '-');
const num = (s: Stats, k: string) => (typeof s[k] === 'number' ? s[k] : 0);
/** Per-frame mean of counter `sum` over counter `count` between two snapshots, in ms. */
function perFrame(a: Stats, b: Stats, sum: string, count: string): string {
  const n = num(b, count) - num(a, count);
  return n > 0 ? fmt(((num(b, sum) - num(a, sum)) * 1000) / n) : '-';
}

export interface Breakdown {
  /** Flip → the sender's capture instant (video: rVFC captureTime, from RTCP sender reports). */
  capture: string;
  /** Flip → the picture's last packet received (video), or noVNC's canvas updated: capture, encode, send. */
  received: string;
  /** Received → on the receivers' screen (jitter buffer, decode, render, composite, present). */
  show: string;
  /** The page's own sighting (video-frame callback / animation frame) → on the screen. */
  pageToScreen: string;
  encode: string;
  packetSend: string;
  jitterBuffer: string;
  decode: string;
  processing: string;
  codec: string;
}

export function breakdown(flips: Flip[], rx: [Stats, Stats] | null, tx: [Stats, Stats] | null): Breakdown {
  const captured = flips.filter((f) => f.captureAt !== undefined && f.captureAt > 0);
  const received = flips.filter((f) => f.receiveAt !== undefined && f.receiveAt > 0);
  const [r0, r1] = rx ?? [{}, {}];
  const [t0, t1] = tx ?? [{}, {}];
  return {
    capture: median(captured.map((f) => f.captureAt! - f.flippedAt)),
    received: median(received.map((f) => f.receiveAt! - f.flippedAt)),
    show: median(received.map((f) => (f.screenAt ?? f.at) - f.receiveAt!)),
    pageToScreen: median(flips.filter((f) => f.screenAt !== undefined).map((f) => f.screenAt! - f.at)),
    encode: perFrame(t0, t1, 'totalEncodeTime', 'framesEncoded'),
    packetSend: perFrame(t0, t1, 'totalPacketSendDelay', 'packetsSent'),
    jitterBuffer: perFrame(r0, r1, 'jitterBufferDelay', 'jitterBufferEmittedCount'),
    decode: perFrame(r0, r1, 'totalDecodeTime', 'framesDecoded'),
    processing: perFrame(r0, r1, 'totalProcessingDelay', 'framesDecoded'),
    codec: [t1['codec'] ?? r1['codec'], t1['encoderImplementation']].filter(Boolean).join(' '),
  };
}

export const BREAKDOWN_HEADER = [
  'path',
  'flip→captured',
  'flip→received',
  'received→on screen',
  'page saw→on screen',
  'encode/frame',
  'send delay/packet',
  'jitter buffer/frame',
  'decode/frame',
  'first packet→decoded/frame',
  'codec',
];

export const breakdownRow = (name: string, b: Breakdown): string[] => [
  name,
  b.capture,
  b.received,
  b.show,
  b.pageToScreen,
  b.encode,
  b.packetSend,
  b.jitterBuffer,
  b.decode,
  b.processing,
  b.codec,
];
