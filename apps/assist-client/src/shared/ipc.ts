// The contract between the main process, the window preloads and their
// renderers. IPC-only view models: nothing here crosses the network.

export const CONSENT_IPC = {
  request: 'consent:request',
  allow: 'consent:allow',
  deny: 'consent:deny',
} as const;

export const INDICATOR_IPC = {
  stop: 'indicator:stop',
  /** renderer -> main invoke: the current status. */
  status: 'indicator:status',
  /** main -> renderer push of a new status. */
  statusChanged: 'indicator:status-changed',
} as const;

/** What the consent window shows the end user before anything is shared. */
export interface ConsentPrompt {
  readonly agentName: string;
  readonly organisationName: string | null;
  /** Whether the agent asks to control the computer, not only to view it. */
  readonly remoteControl: boolean;
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
}

export interface IndicatorApi {
  /** Ends the session at once. */
  stop(): Promise<void>;
  /** Calls `listener` with the current status, then on every change. Returns an unsubscribe. */
  onStatus(listener: (status: IndicatorStatus) => void): () => void;
}

/** The global name every preload exposes its API under. */
export const ASSIST_API_KEY = 'beckonAssist';
