import { INPUT_MESSAGE_TYPES, type DataChannelMessage } from '@beckon/protocol';
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
  /** Input stays local while true; the agent toggles it in the remote view. */
  readonly viewOnly: boolean;
}

export interface SessionState {
  readonly active: ActiveSession | null;
  /** Connect pressed (the `onConnect(requestId)` the lead wires to WebRTC). */
  connect(requestId: string, recipientName: string): void;
  send(message: DataChannelMessage): void;
  toggleViewOnly(): void;
  end(): void;
  dismiss(): void;
}

export type SessionStore = StoreApi<SessionState>;

/** One remote session at a time; events of an older session are ignored. */
export function createSessionStore(connector: SessionConnector): SessionStore {
  let handle: SessionHandle | null = null;
  let current = 0;
  return createStore<SessionState>()((set, get) => {
    const update = (id: number, change: Partial<ActiveSession>) => {
      const active = get().active;
      if (id === current && active) set({ active: { ...active, ...change } });
    };
    return {
      active: null,
      connect(requestId, recipientName) {
        handle?.end();
        const id = ++current;
        set({
          active: {
            requestId,
            recipientName,
            phase: 'connecting',
            reason: null,
            stream: null,
            stats: null,
            verificationCode: null,
            viewOnly: false,
          },
        });
        handle = connector.connect(requestId, {
          phase: (phase, reason) => update(id, { phase, reason: reason ?? null }),
          stream: (stream) => update(id, { stream }),
          stats: (stats) => update(id, { stats }),
          verificationCode: (code) => update(id, { verificationCode: code }),
        });
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
        if (active) set({ active: { ...active, viewOnly: !active.viewOnly } });
      },
      end() {
        handle?.end();
        handle = null;
        const active = get().active;
        if (active && active.phase !== 'failed') set({ active: { ...active, phase: 'ended', stream: null } });
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
