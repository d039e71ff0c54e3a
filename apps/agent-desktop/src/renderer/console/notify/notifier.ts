import type { DesktopApi, DesktopNotification } from '../../../shared/ipc.ts';

/**
 * One small interface for desktop notifications: the browser's Notification
 * API in the web console, a native one through the preload bridge in the
 * Electron app (whose pages get no web permissions at all).
 */
export type NotifyPermission = 'granted' | 'denied' | 'default' | 'unsupported';

export interface Notifier {
  permission(): NotifyPermission;
  /** Asks the person (browsers only allow this from a click). */
  requestPermission(): Promise<NotifyPermission>;
  show(notification: DesktopNotification): void;
}

/** The part of the browser's Notification constructor used here. */
interface NotificationApi {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (
    title: string,
    options?: NotificationOptions,
  ): { onclick: ((event: Event) => void) | null; close(): void };
}

export function browserNotifier(scope: object, openRequest: (requestId: string) => void): Notifier {
  const api = (scope as { Notification?: NotificationApi }).Notification;
  return {
    permission: () => (api ? api.permission : 'unsupported'),
    async requestPermission() {
      if (!api) return 'unsupported';
      if (api.permission !== 'default') return api.permission;
      return api.requestPermission();
    },
    show({ title, body, requestId }) {
      if (api?.permission !== 'granted') return;
      // One notification per request: a newer one replaces the older (tag).
      const note = new api(title, { body, tag: requestId ?? 'beckon' });
      note.onclick = () => {
        (scope as { focus?: () => void }).focus?.();
        if (requestId) openRequest(requestId);
        note.close();
      };
    },
  };
}

export function desktopNotifier(bridge: DesktopApi): Notifier {
  return {
    permission: () => 'granted',
    requestPermission: async () => 'granted',
    show: (notification) => bridge.notify(notification),
  };
}
