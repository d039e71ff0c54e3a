import { exposeApi, ipcRendererApi } from '@beckon/electron-shell/preload';
import { DESKTOP_API_KEY, DESKTOP_IPC, type DesktopApi, type DesktopIpc } from '../shared/ipc.ts';

const ipc = ipcRendererApi(DESKTOP_IPC) as unknown as DesktopIpc;

const api = {
  platform: process.platform,
  onDeepLink(listener) {
    // Listen first, then take what came before: no link falls in between.
    const unsubscribe = ipc.onDeepLink(listener);
    void ipc.takeDeepLinks().then((missed) => missed.forEach(listener));
    return unsubscribe;
  },
  notify(notification) {
    void ipc.notify(notification);
  },
} satisfies DesktopApi;

exposeApi(DESKTOP_API_KEY, api);
