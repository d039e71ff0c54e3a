import { ASSIST_API_KEY } from '../shared/ipc.ts';

/** The API the window's preload exposed; throws if the page runs without it. */
export function preloadApi<T extends object>(scope: object = globalThis): T {
  const api: unknown = (scope as Record<string, unknown>)[ASSIST_API_KEY];
  if (typeof api !== 'object' || api === null) throw new Error('Beckon Assist: preload API missing');
  return api as T;
}
