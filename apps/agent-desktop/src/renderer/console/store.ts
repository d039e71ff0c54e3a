import { LoginBodySchema, parseWith, Role, type User } from '@beckon/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DesktopApi } from '../../shared/ipc.ts';
import type { BrokerApi } from './api/broker-api.ts';
import { failureOf, type ApiFailure } from './api/http.ts';
import type { MessageKey } from './i18n/i18n.ts';
import { formatRoute, type Route } from './routes.ts';
import {
  loadPreferences,
  normaliseBrokerUrl,
  savePreferences,
  type Environment,
  type KeyValueStore,
  type Preferences,
} from './settings/preferences.ts';

export type Shell = 'desktop' | 'browser';

export interface SignInForm {
  readonly email: string;
  readonly password: string;
  /** Desktop app only: the console is always served by its broker. */
  readonly brokerUrl?: string;
}

export type AuthStatus = 'checking' | 'signed_out' | 'signed_in';

export interface SignInState {
  readonly status: 'idle' | 'invalid' | 'pending' | 'failed';
  /** A problem found before sending (translated by the view). */
  readonly problem: MessageKey | null;
  readonly failure: ApiFailure | null;
}

export interface AppState {
  /** Inside the Electron app, or the web console in a plain browser. */
  readonly shell: Shell;
  readonly platform: string | null;
  readonly prefs: Preferences;
  readonly auth: { readonly status: AuthStatus; readonly user: User | null; readonly expired: boolean };
  readonly signIn: SignInState;
  readonly route: Route;
  /** A request asked for (deep link, notification) before sign-in; opened after. */
  readonly openRequestId: string | null;
  setPrefs(change: Partial<Preferences>): void;
  restoreSession(): Promise<void>;
  submitSignIn(form: SignInForm): Promise<void>;
  signOut(): Promise<void>;
  /** A call answered 401: the session ended elsewhere (expiry, logout in another tab). */
  sessionLost(): void;
  navigate(route: Route): void;
  openRequest(requestId: string): void;
}

export type AppStore = StoreApi<AppState>;

export interface AppDeps {
  readonly bridge: DesktopApi | undefined;
  readonly api: BrokerApi;
  readonly storage?: KeyValueStore;
  readonly env?: Environment;
  /** The desktop app's bearer token lives only as long as the window session. */
  readonly tokenStorage?: KeyValueStore & { removeItem(key: string): void };
  /** Puts a route into the address bar (the web console's hash). */
  readonly setHash?: (hash: string) => void;
}

const TOKEN_KEY = 'beckon.token';

export const isAdmin = (user: User | null) => user?.role === Role.ADMIN;

export function createAppStore(deps: AppDeps): AppStore {
  const env = deps.env ?? { languages: ['en'], timeZone: 'UTC' };
  const prefs = loadPreferences(deps.storage, env);
  return createStore<AppState>()((set, get) => {
    const savePrefs = (change: Partial<Preferences>) => {
      const next = { ...get().prefs, ...change };
      savePreferences(deps.storage, next);
      set({ prefs: next });
    };
    const signedIn = (user: User) => {
      savePrefs({ signedIn: true });
      set({
        auth: { status: 'signed_in', user, expired: false },
        signIn: { status: 'idle', problem: null, failure: null },
      });
      const pending = get().openRequestId;
      if (pending) {
        set({ openRequestId: null });
        get().navigate({ name: 'request', id: pending });
      }
    };
    const signedOut = (expired: boolean) => {
      deps.tokenStorage?.removeItem(TOKEN_KEY);
      savePrefs({ signedIn: false });
      set({ auth: { status: 'signed_out', user: null, expired } });
    };

    return {
      shell: deps.bridge ? 'desktop' : 'browser',
      platform: deps.bridge?.platform ?? null,
      prefs,
      // Only a previous sign-in makes asking the broker worthwhile.
      auth: { status: prefs.signedIn ? 'checking' : 'signed_out', user: null, expired: false },
      signIn: { status: 'idle', problem: null, failure: null },
      route: { name: 'requests' },
      openRequestId: null,

      setPrefs: savePrefs,

      async restoreSession() {
        if (!get().prefs.signedIn) return signedOut(false);
        set({ auth: { ...get().auth, status: 'checking' } });
        try {
          signedIn(await deps.api.me());
        } catch (error) {
          // Offline is not signed out: keep the hint so the next load tries again.
          const failure = failureOf(error);
          if (failure.code === 'network') set({ auth: { status: 'signed_out', user: null, expired: false } });
          else signedOut(failure.status === 401);
        }
      },

      async submitSignIn(form) {
        const problem = (key: MessageKey) =>
          set({ signIn: { status: 'invalid', problem: key, failure: null } });
        if (!form.email.trim() || !form.password) return problem('signIn.missing');
        if (get().shell === 'desktop') {
          const url = normaliseBrokerUrl(form.brokerUrl ?? '');
          if (!url) return problem('signIn.brokerUrlInvalid');
          savePrefs({ brokerUrl: url });
        }
        const body = parseWith(LoginBodySchema, { email: form.email.trim(), password: form.password });
        if (!body.ok) return problem('error.invalid_credentials');
        set({ signIn: { status: 'pending', problem: null, failure: null } });
        try {
          const result = await deps.api.login(body.value);
          // The web console rides on the httpOnly cookie the broker set; the
          // desktop app (another origin) keeps the bearer token for this window.
          if (get().shell === 'desktop') deps.tokenStorage?.setItem(TOKEN_KEY, result.token);
          signedIn(result.user);
        } catch (error) {
          set({ signIn: { status: 'failed', problem: null, failure: failureOf(error) } });
        }
      },

      async signOut() {
        try {
          await deps.api.logout();
        } catch {
          // Signed out here either way; the broker session expires by itself.
        }
        signedOut(false);
        get().navigate({ name: 'requests' });
      },

      sessionLost() {
        if (get().auth.status === 'signed_in') signedOut(true);
      },

      navigate(route) {
        set({ route });
        deps.setHash?.(formatRoute(route));
      },

      openRequest(requestId) {
        if (get().auth.status === 'signed_in') get().navigate({ name: 'request', id: requestId });
        else set({ openRequestId: requestId });
      },
    };
  });
}

/** The desktop app's bearer token, if it signed in during this window session. */
export function storedToken(tokenStorage: KeyValueStore | undefined): string | null {
  return tokenStorage?.getItem(TOKEN_KEY) ?? null;
}

/** Feeds desktop-only events (deep links) into the store. Returns a disconnect. */
export function connectBridge(store: AppStore, bridge: DesktopApi | undefined): () => void {
  if (!bridge) return () => {};
  return bridge.onDeepLink((link) => store.getState().openRequest(link.requestId));
}
