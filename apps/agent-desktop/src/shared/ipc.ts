// The contract between the main process, the main window's preload and its
// renderer. IPC-only shapes: nothing here crosses the network.

export const IPC = {
  /** main -> renderer push of a parsed deep link. */
  deepLink: 'beckon:deep-link',
  /** renderer -> main invoke: "I am listening"; returns the deep links received so far. */
  takeDeepLinks: 'beckon:take-deep-links',
  /** renderer -> main invoke: show a native notification (SC5); clicking it opens the request. */
  notify: 'beckon:notify',
} as const;

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

/** What the main window's preload exposes as `window.beckon`. */
export interface DesktopApi {
  readonly platform: string;
  /** Calls `listener` for every deep link, including ones received before the call. Returns an unsubscribe. */
  onDeepLink(listener: (link: DeepLink) => void): () => void;
  notify(notification: DesktopNotification): void;
}

/** The global name the preload exposes the API under. */
export const DESKTOP_API_KEY = 'beckon';
