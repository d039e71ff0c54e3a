import { SignalDataSchema, parseWith, type SignalData } from '@beckon/protocol';
import wrtc from '@roamhq/wrtc';
import type { Emitter, EventMap } from '../emitter.ts';
import { Peer, type PeerOptions, type RtcImplementation } from '../peer.ts';

// @roamhq/wrtc crashes in its N-API finalizers when Node tears the environment
// down after a connection touched media (a receiver's track, replaceTrack):
// https://github.com/node-webrtc/node-webrtc/issues/636 and WonderInventions/node-webrtc#35.
// By the 'exit' event the test runner has written its report, so leaving
// without that teardown loses nothing and keeps a passing file passing.
process.on('exit', (code) => {
  (process as unknown as { reallyExit(code: number): never }).reallyExit(code);
});

/** The real Node WebRTC stack, typed as what Peer injects. */
export const rtc = wrtc as unknown as RtcImplementation;

export type Side = 'agent' | 'host';
/** Sees every signal on its way; returns the signal to deliver (possibly rewritten) or null to drop it. */
export type Relay = (from: Side, data: SignalData) => SignalData | null | Promise<SignalData | null>;

export interface Pair {
  agent: Peer;
  host: Peer;
  /** Signals each side emitted, in order. */
  signals: Record<Side, SignalData[]>;
  close(): void;
}

/**
 * Two real wrtc peers wired back to back, the way the broker would wire them:
 * every signal is checked against the protocol schema and delivered
 * asynchronously. The agent initiates.
 */
export function makePair(
  options: { agent?: Partial<PeerOptions>; host?: Partial<PeerOptions>; relay?: Relay } = {},
): Pair {
  const relay = options.relay ?? ((_from, data) => data);
  const signals: Record<Side, SignalData[]> = { agent: [], host: [] };
  const peers: Partial<Record<Side, Peer>> = {};
  // One queue per direction: an asynchronous relay must not reorder signals.
  const queues: Record<Side, Promise<void>> = { agent: Promise.resolve(), host: Promise.resolve() };
  const deliver = (from: Side) => (data: SignalData) => {
    const checked = parseWith(SignalDataSchema, data);
    if (!checked.ok) throw new Error(`signal off the protocol: ${checked.error.message}`);
    signals[from].push(data);
    queues[from] = queues[from].then(async () => {
      await new Promise((r) => setTimeout(r, 1));
      const out = await relay(from, data);
      if (out) peers[from === 'agent' ? 'host' : 'agent']?.signal(out);
    });
  };
  peers.host = new Peer({ initiator: false, wrtc: rtc, onSignal: deliver('host'), ...options.host });
  peers.agent = new Peer({ initiator: true, wrtc: rtc, onSignal: deliver('agent'), ...options.agent });
  const { agent, host } = peers as Record<Side, Peer>;
  return {
    agent,
    host,
    signals,
    close() {
      agent.close();
      host.close();
    },
  };
}

/** Resolves with the arguments of the next `event`, or rejects after `ms`. */
export function next<E extends EventMap, K extends keyof E & string>(
  emitter: Emitter<E> & { eventTypes?: E },
  event: K,
  ms = 10_000,
): Promise<E[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const off = emitter.once(event, (...args) => {
      clearTimeout(timer);
      resolve(args);
    });
  });
}

/** Polls `check` until it returns true, or rejects after `ms`. */
export async function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A solid-colour I420 frame source for wrtc's RTCVideoSource. */
export function solidColourSource(width = 320, height = 240, luma = 180) {
  const { RTCVideoSource } = wrtc.nonstandard;
  const source = new RTCVideoSource();
  const track = source.createTrack();
  const data = new Uint8Array(width * height * 1.5);
  data.fill(luma, 0, width * height);
  data.fill(128, width * height);
  const timer = setInterval(() => source.onFrame({ width, height, data }), 33);
  return {
    track: track as unknown as MediaStreamTrack,
    stop() {
      clearInterval(timer);
      track.stop();
    },
  };
}
