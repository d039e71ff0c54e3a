import type { App, Session, WebContents } from 'electron';

/**
 * What a page may be granted. The shell's default is nothing; an app that
 * needs one permission for one window (the assist client's screen capture)
 * says so here.
 */
export interface PermissionPolicy {
  /** A page asks (`setPermissionRequestHandler`). */
  request(contents: WebContents, permission: string): boolean;
  /** A page checks synchronously (`setPermissionCheckHandler`); Electron's answer when absent. */
  check?(contents: WebContents | null, permission: string): boolean;
}

export const DENY_ALL_PERMISSIONS: PermissionPolicy = { request: () => false };

/**
 * One window's guard: it never opens another window, never navigates away
 * from what main loaded (main's own `loadURL`/`loadFile` are not the page's
 * navigations and still work), and never attaches a `<webview>`.
 */
export function guardContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Guards every window the app will create and answers the pages' permission
 * requests by `policy`. Call it once, when the app is ready and before the
 * first window.
 */
export function hardenContents(
  app: Pick<App, 'on'>,
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>,
  policy: PermissionPolicy = DENY_ALL_PERMISSIONS,
): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  session.setPermissionRequestHandler((contents, permission, callback) =>
    callback(policy.request(contents, permission)),
  );
  const check = policy.check;
  if (check) session.setPermissionCheckHandler((contents, permission) => check(contents, permission));
}
