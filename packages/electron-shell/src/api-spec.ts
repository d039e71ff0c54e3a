// The one IPC style of both apps: a window's API is a spec of channel names,
// and its preload builds the API from the spec alone (`buildApi`). Main answers
// each `invoke` channel with `handleValidated` and pushes on the `events`
// channels. Pure: the preloads, the renderers' types and the browser tests
// (over Playwright bindings) all use it, so every bridge has the same shape.

/** Per window: API method → channel, for calls (`invoke`) and for pushes (`events`). */
export interface ApiSpec {
  readonly invoke: Readonly<Record<string, string>>;
  readonly events: Readonly<Record<string, string>>;
}

/** A transport's call: Electron's `ipcRenderer.invoke` in a preload, a binding in a browser test. */
export type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;
/** A transport's subscription to a push channel; returns an unsubscribe. */
export type Subscribe = (channel: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds a window's API from its spec over any transport: each `invoke`
 * method calls its channel, each `events` method subscribes to its channel.
 */
export function buildApi(
  spec: ApiSpec,
  invoke: Invoke,
  subscribe: Subscribe,
): Record<string, (...args: unknown[]) => unknown> {
  const api: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [method, channel] of Object.entries(spec.invoke))
    api[method] = (...args) => invoke(channel, ...args);
  for (const [method, channel] of Object.entries(spec.events))
    api[method] = (listener) => subscribe(channel, listener as (payload: unknown) => void);
  return api;
}
