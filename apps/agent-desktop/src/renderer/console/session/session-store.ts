import {
  INPUT_MESSAGE_TYPES,
  type DataChannelMessage,
  type HostKind,
  type RemotePermission,
} from '@beckon/protocol';
import type { FileTransport } from '@beckon/session';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionConnector, SessionHandle, SessionPhase, SessionStats } from './session-connector.ts';

export interface ActiveSession {
  readonly requestId: string;
  /** Shown while connecting ("Connecting to Ann…"). */
  readonly recipientName: string;
  readonly phase: SessionPhase;
  readonly reason: string | null;
  readonly stream: MediaStream | null;
  readonly stats: SessionStats | null;
  readonly verificationCode: string | null;
  /** What was asked for, until the customer's answer says what was allowed. */
  readonly permissions: readonly RemotePermission[];
  /** Input stays local while true; the agent toggles it in the remote view. */
  readonly viewOnly: boolean;
  /** What the customer runs, once known: a `browser` host is view only. */
  readonly host: HostKind | null;
}

/** What Connect is pressed on: a request, as the list or the detail knows it. */
export interface ConnectRequest {
  readonly id: string;
  readonly recipientName: string;
  readonly permissions: readonly RemotePermission[];
}

/** Where the host's replies and the files channel go (the remote tasks panel). */
export interface SessionHooks {
  /** A new session starts: forget the last one's tasks. */
  started?(): void;
  message?(message: DataChannelMessage): void;
  files?(transport: FileTransport | null): void;
}

export interface SessionState {
  readonly active: ActiveSession | null;
  connect(request: ConnectRequest): void;
  send(message: DataChannelMessage): void;
  toggleViewOnly(): void;
  end(): void;
  dismiss(): void;
}

export type SessionStore = StoreApi<SessionState>;

/** One remote session at a time; events of an older session are ignored. */
export function createSessionStore(connector: SessionConnector, hooks: SessionHooks = {}): SessionStore {
  let handle: SessionHandle | null = null;
  let current = 0;
  return createStore<SessionState>()((set, get) => {
    const update = (id: number, change: Partial<ActiveSession>) => {
      const active = get().active;
      if (id === current && active) set({ active: { ...active, ...change } });
    };
    return {
      active: null,
      connect(request) {
        handle?.end();
        const id = ++current;
        hooks.started?.();
        set({
          active: {
            requestId: request.id,
            recipientName: request.recipientName,
            phase: 'connecting',
            reason: null,
            stream: null,
            stats: null,
            verificationCode: null,
            permissions: request.permissions,
            viewOnly: false,
            host: null,
          },
        });
        handle = connector.connect(
          { id: request.id, permissions: request.permissions },
          {
            phase: (phase, reason) => update(id, { phase, reason: reason ?? null }),
            stream: (stream) => update(id, { stream }),
            stats: (stats) => update(id, { stats }),
            verificationCode: (code) => update(id, { verificationCode: code }),
            // Allowed to view only: the view starts (and stays) view-only.
            permissions: (granted) =>
              update(id, {
                permissions: granted,
                ...(granted.includes('control') ? {} : { viewOnly: true }),
              }),
            host: (host) => update(id, host === 'browser' ? { host, viewOnly: true } : { host }),
            message: (message) => id === current && hooks.message?.(message),
            files: (transport) => id === current && hooks.files?.(transport),
          },
        );
      },
      send(message) {
        const active = get().active;
        // View-only is enforced here too, not just by hiding the handlers; a
        // release still passes, so nothing stays pressed on the remote side.
        if (!active || active.phase !== 'connected' || !handle) return;
        if (active.viewOnly && INPUT_MESSAGE_TYPES.has(message.type) && !isRelease(message)) return;
        handle.send(message);
      },
      toggleViewOnly() {
        const active = get().active;
        // Without the control permission there is nothing to take.
        if (!active || (active.viewOnly && !active.permissions.includes('control'))) return;
        set({ active: { ...active, viewOnly: !active.viewOnly } });
      },
      end() {
        const ending = handle;
        handle = null;
        ending?.end();
        const active = get().active;
        if (active && active.phase !== 'failed' && active.phase !== 'ended')
          set({ active: { ...active, phase: 'ended', stream: null } });
      },
      dismiss() {
        handle?.end();
        handle = null;
        current += 1;
        set({ active: null });
      },
    };
  });
}

function isRelease(message: DataChannelMessage): boolean {
  return (message.type === 'key' || message.type === 'pointer_button') && message.action === 'up';
}
