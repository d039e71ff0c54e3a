// The contract between the main process, the console window's preload and its
// renderer. IPC-only shapes: nothing here crosses the network.

import type { ApiSpec } from '@beckon/electron-shell/api-spec';

/** The console window's IPC channels, in the shell's one style (`buildApi` / `handleValidated`). */
export const DESKTOP_IPC = {
  invoke: {
    /** "I am listening": returns the deep links received so far. */
    takeDeepLinks: 'beckon:take-deep-links',
    /** Show a native notification (SC5); clicking it opens the request. */
    notify: 'beckon:notify',
  },
  events: {
    /** A deep link main parsed, pushed while the renderer listens. */
    onDeepLink: 'beckon:deep-link',
  },
} as const satisfies ApiSpec;

/** The API `DESKTOP_IPC` builds in the preload; `DesktopApi` is what the page gets. */
export interface DesktopIpc {
  takeDeepLinks(): Promise<DeepLink[]>;
  notify(notification: DesktopNotification): Promise<void>;
  onDeepLink(listener: (link: DeepLink) => void): () => void;
}

/** A `beckon://` link the app was opened with, already validated by the main process. */
export interface DeepLink {
  readonly kind: 'request';
  readonly requestId: string;
}

/** A native desktop notification; the main process parses it before showing it. */
export interface DesktopNotification {
  readonly title: string;
  readonly body: string;
  /** Clicking the notification opens this request in the app. */
  readonly requestId?: string;
}

/** What the console window's preload exposes as `window.beckon`. */
export interface DesktopApi {
  readonly platform: string;
  /** Calls `listener` for every deep link, including ones received before the call. Returns an unsubscribe. */
  onDeepLink(listener: (link: DeepLink) => void): () => void;
  notify(notification: DesktopNotification): void;
}

/** The global name the preload exposes the API under. */
export const DESKTOP_API_KEY = 'beckon';
