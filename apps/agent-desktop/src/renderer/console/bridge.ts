import { DESKTOP_API_KEY, type DesktopApi } from '../../shared/ipc.ts';

/**
 * The preload API when running inside the desktop app; undefined when the
 * same renderer is served by the broker as the web console in a browser.
 */
export function desktopBridge(scope: object = globalThis): DesktopApi | undefined {
  const api: unknown = (scope as Record<string, unknown>)[DESKTOP_API_KEY];
  if (typeof api !== 'object' || api === null) return undefined;
  const candidate = api as Partial<DesktopApi>;
  return typeof candidate.platform === 'string' &&
    typeof candidate.onDeepLink === 'function' &&
    typeof candidate.notify === 'function'
    ? (candidate as DesktopApi)
    : undefined;
}
