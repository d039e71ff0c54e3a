import { resolve } from 'node:path';
import type { App } from 'electron';

/** What the shell needs of `process` to register the link scheme. */
export interface LaunchInfo {
  readonly argv: readonly string[];
  readonly execPath: string;
  /** Set when Electron runs as `electron <app>` (development). */
  readonly defaultApp?: boolean;
}

export interface LinkHandlers {
  /** The link scheme this app opens, e.g. `beckon` or `beckon-assist`. */
  readonly scheme: string;
  /** Another launch (Windows, Linux: a link is one of its arguments) was folded into this one. */
  onSecondInstance(argv: readonly string[]): void;
  /** macOS delivers links as an event, possibly before `ready`. */
  onOpenUrl(url: string): void;
}

/**
 * One running instance per app: a second launch quits and hands its arguments
 * to the first. The first registers itself for `scheme` and routes later links
 * to `handlers`. Returns false in a second instance (which is quitting).
 */
export function claimSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'quit' | 'setAsDefaultProtocolClient' | 'on'>,
  launch: LaunchInfo,
  handlers: LinkHandlers,
): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  // In development Electron runs as `electron <app>`: the OS must pass that path too.
  const appPath = launch.argv[1];
  if (launch.defaultApp && appPath) {
    app.setAsDefaultProtocolClient(handlers.scheme, launch.execPath, [resolve(appPath)]);
  } else {
    app.setAsDefaultProtocolClient(handlers.scheme);
  }
  app.on('second-instance', (_event, argv) => handlers.onSecondInstance(argv));
  app.on('open-url', (event, url) => {
    event.preventDefault();
    handlers.onOpenUrl(url);
  });
  return true;
}

/**
 * On Windows and Linux the OS passes a link as a command-line argument (first
 * launch: process.argv; later launches: the second instance's argv). Returns
 * the first argument `parse` accepts.
 */
export function firstLink<T>(argv: readonly string[], parse: (raw: string) => T | null): T | null {
  for (const arg of argv) {
    const link = parse(arg);
    if (link) return link;
  }
  return null;
}
