import { z } from 'zod';
import type { DesktopNotification } from '../shared/ipc.ts';

/**
 * The one argument of `DESKTOP_IPC.invoke.notify`. The renderer shows text from the network
 * (recipient names), so lengths are bounded and control characters refused
 * before anything reaches the OS notification service.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const noControl = (max: number) =>
  z
    .string()
    .max(max)
    .refine((text) => !CONTROL.test(text), 'must not contain control characters');

export const NotifyArgsSchema = z.tuple([
  z.strictObject({
    title: noControl(200).min(1),
    body: noControl(1000),
    requestId: z.uuid().optional(),
  }),
]);

/** The parts of Electron's Notification used here; a fake in tests. */
export interface NativeNotifications {
  isSupported(): boolean;
  show(notification: DesktopNotification, onClick: () => void): void;
}

/** Shows the notification; a click focuses the app and opens the request like a deep link. */
export function showNotification(
  native: NativeNotifications,
  notification: DesktopNotification,
  openRequest: (requestId: string) => void,
): boolean {
  if (!native.isSupported()) return false;
  native.show(notification, () => {
    if (notification.requestId) openRequest(notification.requestId);
  });
  return true;
}
