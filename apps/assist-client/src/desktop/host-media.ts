import type { DataChannelLabel, DataChannelMessage, SignalData } from '@beckon/protocol';
import type { Listener } from '@beckon/session';
import type { HostCaptureReport, HostPeerReport, HostStart } from '../shared/ipc.ts';

export type HostMediaEvents = {
  signal: [number, SignalData];
  message: [number, DataChannelLabel, DataChannelMessage];
  peer: [number, HostPeerReport];
  capture: [number, HostCaptureReport];
};

/**
 * Where the Electron client's peer and screen capture run, for DesktopHost in
 * main. Two kinds: the host window's Chromium (MediaBridge: getDisplayMedia and
 * Chromium's WebRTC, on every OS) and the engine in main itself (EngineMedia:
 * the X11 grab and wrtc, where that grab exists). main/media-choice.ts picks.
 * Either way, what comes out (signals, messages, reports) is what the agent's
 * side sent, and DesktopHost checks it the same way.
 */
export interface HostMedia {
  /** The frame rate this media sends at unless DesktopHost is told otherwise. */
  readonly frameRate: number;
  on<K extends keyof HostMediaEvents>(event: K, listener: Listener<HostMediaEvents[K]>): () => void;
  /** A session's peer (and, with `view`, its capture) starts: only after the person's Allow. */
  start(start: HostStart): void;
  signal(session: number, data: SignalData): void;
  send(session: number, message: DataChannelMessage): void;
  /** Ends the session's peer and capture: nothing is sent after this. */
  stop(session: number): void;
}
