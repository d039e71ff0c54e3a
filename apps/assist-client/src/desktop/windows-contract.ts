import type { WindowName } from '../shared/ipc.ts';

/**
 * What the main-process modules need of a window, whatever shows it: an
 * Electron BrowserWindow in the app, a Chromium page in the browser test.
 */
export interface WindowHandle {
  /** The id IPC calls from this window carry (`event.sender.id`): the only way a call is tied to a window. */
  readonly senderId: number;
  /** Main → renderer push on `channel`. */
  push(channel: string, payload: unknown): void;
  /** Closes the window; its `onClosed` does not fire for a close asked for here. */
  close(): void;
}

export interface WindowOpener {
  /** Opens `name`; `onClosed` fires when the person closes it (not after `close()`). */
  open(name: WindowName, onClosed: () => void): WindowHandle;
}
