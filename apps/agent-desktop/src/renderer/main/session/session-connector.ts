import type { DataChannelMessage } from '@beckon/protocol';

/**
 * The seam between the console and the remote-session engine (signaling +
 * WebRTC, `@beckon/session`, wired in by the lead). The console only knows
 * this interface: Connect calls `connect`, the engine reports through `events`,
 * and the RemoteView talks back through the handle.
 */
export type SessionPhase = 'connecting' | 'awaiting_consent' | 'connected' | 'ended' | 'failed';

export interface SessionStats {
  readonly fps: number;
  readonly bitrateKbps: number;
  readonly rttMs: number;
  readonly packetLossPct: number;
  /** Through a TURN relay instead of peer to peer. */
  readonly relayed: boolean;
}

export interface SessionEvents {
  phase(phase: SessionPhase, reason?: string): void;
  stream(stream: MediaStream | null): void;
  stats(stats: SessionStats): void;
  /** A code both sides show, so the user can check who is connected. */
  verificationCode(code: string): void;
}

export interface SessionHandle {
  /** Input, clipboard and control messages for the data channels. */
  send(message: DataChannelMessage): void;
  end(): void;
}

export interface SessionConnector {
  connect(requestId: string, events: SessionEvents): SessionHandle;
}

/**
 * Until the engine is wired: says so at once instead of pretending to connect.
 * The reason is a stable token the UI translates.
 */
export const UNAVAILABLE_REASON = 'unavailable';

export const unavailableConnector: SessionConnector = {
  connect(_requestId, events) {
    queueMicrotask(() => events.phase('failed', UNAVAILABLE_REASON));
    return { send() {}, end() {} };
  },
};
