import type { DataChannelMessage, HostKind, RemotePermission } from '@beckon/protocol';
import type { FileTransport } from '@beckon/session';

/**
 * The seam between the console and the remote-session engine (signaling +
 * WebRTC, `@beckon/session`; see agent-connector.ts). The console only knows
 * this interface: Connect calls `connect`, the engine reports through `events`,
 * and the RemoteView and the tasks panel talk back through the handle.
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

/** What Connect needs to know about the request: its id and what it may ask the user for. */
export interface ConnectTarget {
  readonly id: string;
  readonly permissions: readonly RemotePermission[];
}

export interface SessionEvents {
  /** `reason` is a stable token (see session-reasons.ts), translated by the UI. */
  phase(phase: SessionPhase, reason?: string): void;
  stream(stream: MediaStream | null): void;
  stats(stats: SessionStats): void;
  /** A code both sides show, so the user can check who is connected. */
  verificationCode(code: string): void;
  /** What the customer allowed (they may narrow the request, e.g. to view only). */
  permissions(granted: readonly RemotePermission[]): void;
  /** Replies from the host: system information, monitor samples, its clipboard. */
  message(message: DataChannelMessage): void;
  /** The `files` channel while the session is live; null once it is gone. */
  files(transport: FileTransport | null): void;
  /** What the customer runs: `browser` shares the screen from the landing page, view only. */
  host?(kind: HostKind): void;
}

export interface SessionHandle {
  /** Input, clipboard, task and control messages for the data channels. */
  send(message: DataChannelMessage): void;
  end(): void;
}

export interface SessionConnector {
  connect(target: ConnectTarget, events: SessionEvents): SessionHandle;
}

/**
 * For shells without the engine (and tests): says so at once instead of
 * pretending to connect. The reason is a stable token the UI translates.
 */
export const UNAVAILABLE_REASON = 'unavailable';

export const unavailableConnector: SessionConnector = {
  connect(_target, events) {
    queueMicrotask(() => events.phase('failed', UNAVAILABLE_REASON));
    return { send() {}, end() {} };
  },
};
