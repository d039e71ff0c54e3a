import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DesktopApi } from '../../shared/ipc.ts';

export type Shell = 'desktop' | 'browser';

export type SignInStatus = 'idle' | 'invalid' | 'unavailable';

export interface SignInForm {
  readonly email: string;
  readonly password: string;
}

export interface AppState {
  /** Inside the Electron app, or the web console in a plain browser. */
  readonly shell: Shell;
  readonly platform: string | null;
  /** A session request the app was asked to open with a beckon:// link. */
  readonly openRequestId: string | null;
  readonly signIn: { readonly status: SignInStatus; readonly message: string | null };
  submitSignIn(form: SignInForm): void;
  openRequest(requestId: string): void;
}

export type AppStore = StoreApi<AppState>;

export function createAppStore(bridge: DesktopApi | undefined): AppStore {
  return createStore<AppState>()((set) => ({
    shell: bridge ? 'desktop' : 'browser',
    platform: bridge?.platform ?? null,
    openRequestId: null,
    signIn: { status: 'idle', message: null },
    submitSignIn({ email, password }) {
      if (!email.trim() || !password) {
        set({ signIn: { status: 'invalid', message: 'Enter your email address and password.' } });
        return;
      }
      // No broker connection exists yet: say so instead of pretending.
      set({
        signIn: { status: 'unavailable', message: 'Signing in is not available yet in this build.' },
      });
    },
    openRequest(requestId) {
      set({ openRequestId: requestId });
    },
  }));
}

/** Feeds desktop-only events (deep links) into the store. Returns a disconnect. */
export function connectBridge(store: AppStore, bridge: DesktopApi | undefined): () => void {
  if (!bridge) return () => {};
  return bridge.onDeepLink((link) => store.getState().openRequest(link.requestId));
}
