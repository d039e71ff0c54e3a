import type { BrowserContext, Page } from '@playwright/test';
import type { InvokeRegistry } from '@beckon/electron-shell';
import { buildApi } from '@beckon/electron-shell/api-spec';
import { API_SPECS, ASSIST_API_KEY, type WindowName } from '../../src/shared/ipc.ts';
import type { WindowHandle, WindowOpener } from '../../src/desktop/windows-contract.ts';

type Listener = Parameters<InvokeRegistry['handle']>[1];

/** The sizes main gives these windows (main/windows.ts). */
const SIZES: Record<Exclude<WindowName, 'host'>, { width: number; height: number }> = {
  consent: { width: 520, height: 540 },
  files: { width: 460, height: 260 },
  indicator: { width: 420, height: 64 },
};

/**
 * Electron's IPC plumbing, played by Playwright: each window is a Chromium
 * page of the built renderer bundle; its preload is an init script building
 * the same API from the same spec (`buildApi` in the preloads), over one
 * binding into the very main-process handlers (`handleValidated` and all)
 * running in this Node process. Pushes are `page.evaluate`, one at a time
 * per page, in order, as `webContents.send` delivers them.
 */
export class PageWindows implements WindowOpener, InvokeRegistry {
  readonly pages = new Map<WindowName, Page>();
  private readonly listeners = new Map<string, Listener>();
  private readonly ids = new Map<Page, number>();
  private nextId = 1;
  private readonly context: BrowserContext;
  private readonly baseUrl: string;
  private readonly opening: Promise<unknown>[] = [];

  private constructor(context: BrowserContext, baseUrl: string) {
    this.context = context;
    this.baseUrl = baseUrl;
  }

  static async create(context: BrowserContext, baseUrl: string): Promise<PageWindows> {
    const windows = new PageWindows(context, baseUrl);
    await context.exposeBinding('__beckonInvoke', ({ page }, channel: string, ...args: unknown[]) => {
      const listener = windows.listeners.get(channel);
      if (!listener) throw new Error(`no handler for ${channel}`);
      const event = { sender: { id: windows.ids.get(page) ?? -1 } } as Parameters<Listener>[0];
      return listener(event, ...args);
    });
    return windows;
  }

  handle(channel: string, listener: Listener): void {
    this.listeners.set(channel, listener);
  }

  open(name: WindowName, onClosed: () => void): WindowHandle {
    const senderId = this.nextId++;
    let closing = false;
    let chain = Promise.resolve();
    const ready = (async () => {
      const page = await this.context.newPage();
      // Not the host: a viewport size set on a page also becomes its `screen`, which
      // Chromium sizes the screen capture by (Electron's windows see the real screen).
      if (name !== 'host') await page.setViewportSize(SIZES[name]);
      this.ids.set(page, senderId);
      this.pages.set(name, page);
      page.on('close', () => {
        if (this.pages.get(name) === page) this.pages.delete(name);
        if (!closing) onClosed();
      });
      await page.addInitScript({ content: preload(name) });
      await page.goto(`${this.baseUrl}/${name}/index.html`);
      return page;
    })();
    this.opening.push(ready);
    return {
      senderId,
      push: (channel, payload) => {
        chain = chain.then(async () => {
          const page = await ready;
          await page
            .evaluate(([c, p]) => (window as unknown as Pushable).__beckonPush(c, p), [
              channel,
              payload,
            ] as const)
            .catch(() => {});
        });
      },
      close: () => {
        closing = true;
        void ready.then((page) => page.close()).catch(() => {});
      },
    };
  }

  /** The page of an open window, once it has loaded. */
  async page(name: WindowName, timeoutMs = 10_000): Promise<Page> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await Promise.allSettled(this.opening);
      const page = this.pages.get(name);
      if (page) return page;
      if (Date.now() > end) throw new Error(`no ${name} window opened`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

interface Pushable {
  __beckonPush(channel: string, payload: unknown): void;
}

/**
 * The test's preload for `name`: runs in the page before its scripts and
 * exposes the API built by the preloads' own `buildApi` from the window's
 * spec, over the binding (calls) and `__beckonPush` (pushes).
 */
function preload(name: WindowName): string {
  return `(() => {
  const buildApi = ${buildApi.toString()};
  const listeners = new Map();
  window.__beckonPush = (channel, payload) => {
    for (const l of listeners.get(channel) ?? []) l(payload);
  };
  const subscribe = (channel, listener) => {
    const set = listeners.get(channel) ?? new Set();
    listeners.set(channel, set);
    set.add(listener);
    return () => set.delete(listener);
  };
  window[${JSON.stringify(ASSIST_API_KEY)}] = Object.freeze(
    buildApi(${JSON.stringify(API_SPECS[name])}, (channel, ...args) => window.__beckonInvoke(channel, ...args), subscribe),
  );
})();`;
}
