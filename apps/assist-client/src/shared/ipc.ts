// The contract between the main process, the window preloads and their
// renderers: which channels each window may invoke (renderer → main) and
// which it listens to (main → renderer). IPC-only view models: nothing here
// crosses the network. The preloads and the browser test build each window's
// API from these specs alone (the shell's `buildApi`), so both bridges are the same shape.

import type { ApiSpec } from '@beckon/electron-shell/api-spec';
import type {
  DataChannelLabel,
  DataChannelMessage,
  IceServer,
  Language,
  RemotePermission,
  SignalData,
} from '@beckon/protocol';

export type WindowName = 'consent' | 'indicator' | 'files' | 'host';

export const API_SPECS = {
  consent: {
    invoke: { request: 'consent:request', allow: 'consent:allow', deny: 'consent:deny' },
    events: {},
  },
  indicator: {
    invoke: { status: 'indicator:status', stop: 'indicator:stop' },
    events: { onStatus: 'indicator:status-changed' },
  },
  files: {
    invoke: { request: 'files:request', accept: 'files:accept', decline: 'files:decline' },
    events: {},
  },
  host: {
    invoke: {
      ready: 'host:ready',
      signal: 'host:signal',
      message: 'host:message',
      peer: 'host:peer',
      capture: 'host:capture',
    },
    events: {
      onStart: 'host:start',
      onSignal: 'host:remote-signal',
      onSend: 'host:send',
      onStop: 'host:stop',
    },
  },
} as const satisfies Record<WindowName, ApiSpec>;

/** Branding as the windows show it; the logo is a data: URL (the windows load nothing from the network). */
export interface WindowBrand {
  readonly color: string;
  readonly message: string | null;
  readonly logo: string | null;
}

/** What the consent window shows the customer before anything is shared. */
export interface ConsentPrompt {
  readonly agentName: string;
  readonly organisationName: string | null;
  readonly comment: string | null;
  readonly permissions: readonly RemotePermission[];
  /** When the question is withdrawn (and counts as Deny), in ms since the epoch. */
  readonly deadline: number;
  readonly language: Language;
  readonly brand: WindowBrand | null;
}

export interface ConsentApi {
  /** The prompt to show, or null when none is pending. */
  request(): Promise<ConsentPrompt | null>;
  allow(): Promise<void>;
  deny(): Promise<void>;
}

export type SessionPhase = 'connecting' | 'live';

export interface IndicatorStatus {
  readonly phase: SessionPhase;
  readonly agentName: string;
  readonly language: Language;
  /** The six digits both sides show once connected, to read aloud. */
  readonly verificationCode: string | null;
  readonly permissions: readonly RemotePermission[];
}

export interface IndicatorApi {
  /** The current status, or null when no session is on. */
  status(): Promise<IndicatorStatus | null>;
  /** Ends the session at once. */
  stop(): Promise<void>;
  /** Calls `listener` on every change. Returns an unsubscribe. */
  onStatus(listener: (status: IndicatorStatus) => void): () => void;
}

/** A file the agent wants to put on this computer, waiting for the person's answer. */
export interface FileQuestion {
  readonly agentName: string;
  /** Already sanitized: what the file will be called here. */
  readonly name: string;
  readonly size: number;
  readonly language: Language;
}

/** A file question on screen: answered by its id, so an answer never lands on another file. */
export interface ShownFileQuestion extends FileQuestion {
  readonly id: string;
  /** When no answer counts as Decline, in ms since the epoch. */
  readonly deadline: number;
}

export interface FilesApi {
  request(): Promise<ShownFileQuestion | null>;
  accept(id: string): Promise<void>;
  decline(id: string): Promise<void>;
}

/** Main → host window: start a peer for one consented session. */
export interface HostStart {
  readonly session: number;
  readonly iceServers: readonly IceServer[];
  readonly iceTransportPolicy: 'all' | 'relay';
  /** Share the screen (the grant includes `view`); false for a session without video. */
  readonly view: boolean;
  readonly maxFrameRate: number;
}

export type HostPeerReport =
  | { readonly state: 'connected'; readonly relayed: boolean; readonly verificationCode: string }
  | { readonly state: 'disconnected' | 'failed' | 'closed' }
  /** The verification exchange failed: main ends the session (nothing was shown or injected). */
  | { readonly state: 'unverified'; readonly reason: string };

export type HostCaptureReport =
  | { readonly ok: true; readonly width: number; readonly height: number; readonly label: string }
  | { readonly ok: false; readonly reason: string };

/**
 * The host window's bridge: the renderer runs the WebRTC peer and the screen
 * capture (the fast path, in Chromium); everything it receives goes to main,
 * which alone decides what input, files and system information may do.
 */
export interface HostApi {
  ready(): Promise<void>;
  signal(session: number, data: SignalData): Promise<void>;
  message(session: number, label: DataChannelLabel, message: DataChannelMessage): Promise<void>;
  peer(session: number, report: HostPeerReport): Promise<void>;
  capture(session: number, report: HostCaptureReport): Promise<void>;
  onStart(listener: (start: HostStart) => void): () => void;
  onSignal(listener: (push: { session: number; data: SignalData }) => void): () => void;
  onSend(listener: (push: { session: number; message: DataChannelMessage }) => void): () => void;
  onStop(listener: (push: { session: number }) => void): () => void;
}

/** The global name every preload exposes its API under. */
export const ASSIST_API_KEY = 'beckonAssist';
