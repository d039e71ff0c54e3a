import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { buildApi, type ApiSpec } from './api-spec.ts';

/**
 * A window's API built from its spec over Electron's `ipcRenderer`: each
 * method an `invoke` on its channel, each event a listener on its push channel.
 * Nothing else of Electron reaches the page.
 */
export function ipcRendererApi(spec: ApiSpec): Record<string, (...args: unknown[]) => unknown> {
  return buildApi(
    spec,
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (channel, listener) => {
      const onPush = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, onPush);
      return () => {
        ipcRenderer.removeListener(channel, onPush);
      };
    },
  );
}

/** Puts `api` on the page's `window[key]` through the context bridge (the page sees copies, never Electron). */
export function exposeApi(key: string, api: Record<string, unknown>): void {
  contextBridge.exposeInMainWorld(key, api);
}
