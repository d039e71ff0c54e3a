import type { DataChannelMessage } from '@beckon/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * The predefined password a temporary host asks for (AH3): the host sends
 * `adhoc_auth_request` once the connection is verified, and shows nothing
 * until the password it checks itself arrives. The password is typed by the
 * provider and sent over the peer connection only; nothing keeps it.
 */
export interface AdhocAuthState {
  phase: 'none' | 'asked' | 'checking' | 'accepted' | 'refused';
  receive(message: DataChannelMessage): void;
  submit(password: string): void;
  reset(): void;
}
export type AdhocAuthStore = StoreApi<AdhocAuthState>;

export function createAdhocAuthStore(send: (m: DataChannelMessage) => void): AdhocAuthStore {
  return createStore<AdhocAuthState>((set, get) => ({
    phase: 'none',
    receive(message) {
      if (message.type === 'adhoc_auth_request') set({ phase: 'asked' });
      else if (message.type === 'adhoc_auth_result' && get().phase === 'checking')
        set({ phase: message.ok ? 'accepted' : 'refused' });
    },
    submit(password) {
      if (get().phase !== 'asked') return;
      set({ phase: 'checking' });
      send({ type: 'adhoc_auth', password });
    },
    reset: () => set({ phase: 'none' }),
  }));
}
