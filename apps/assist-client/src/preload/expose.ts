import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { API_SPECS, ASSIST_API_KEY, buildApi, type WindowName } from '../shared/ipc.ts';

/**
 * Exposes one window's API, built from its spec: each method an
 * `ipcRenderer.invoke` on its channel, each event a listener on its push
 * channel. Nothing else of Electron reaches the page.
 */
export function exposeWindowApi(name: WindowName): void {
  const api = buildApi(
    API_SPECS[name],
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (channel, listener) => {
      const onPush = (_event: IpcRendererEvent, payload: unknown): void => listener(payload);
      ipcRenderer.on(channel, onPush);
      return () => {
        ipcRenderer.removeListener(channel, onPush);
      };
    },
  );
  contextBridge.exposeInMainWorld(ASSIST_API_KEY, api);
}
