import type { InvokeEvent, InvokeRegistry } from '@beckon/electron-shell';
import type { WindowName } from '../shared/ipc.ts';
import type { WindowHandle, WindowOpener } from '../desktop/windows-contract.ts';

type Listener = (event: InvokeEvent, ...args: unknown[]) => unknown;

/** ipcMain as the handlers see it: `invoke` plays a window calling a channel. */
export class FakeRegistry implements InvokeRegistry {
  private readonly listeners = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    this.listeners.set(channel, listener);
  }
  invoke(channel: string, senderId: number, ...args: unknown[]): unknown {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return listener({ sender: { id: senderId } } as unknown as InvokeEvent, ...args);
  }
}

export interface FakeWindow extends WindowHandle {
  name: WindowName;
  pushes: [string, unknown][];
  closed: boolean;
  /** The person closes the window. */
  userClose(): void;
}

/** Windows that record what was pushed to them; ids count up from 1. */
export class FakeWindows implements WindowOpener {
  readonly opened: FakeWindow[] = [];
  open(name: WindowName, onClosed: () => void): WindowHandle {
    const window: FakeWindow = {
      name,
      senderId: this.opened.length + 1,
      pushes: [],
      closed: false,
      push: (channel, payload) => window.pushes.push([channel, payload]),
      close: () => void (window.closed = true),
      userClose: () => {
        window.closed = true;
        onClosed();
      },
    };
    this.opened.push(window);
    return window;
  }
  last(name: WindowName): FakeWindow {
    const found = this.opened.filter((w) => w.name === name).at(-1);
    if (!found) throw new Error(`no ${name} window`);
    return found;
  }
}
