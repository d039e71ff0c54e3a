import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  DESKTOP_API_KEY,
  IPC,
  type DeepLink,
  type DesktopApi,
  type DesktopNotification,
} from '../shared/ipc.ts';

const api = {
  platform: process.platform,
  onDeepLink(listener: (link: DeepLink) => void): () => void {
    const onPush = (_event: IpcRendererEvent, link: DeepLink): void => listener(link);
    ipcRenderer.on(IPC.deepLink, onPush);
    void ipcRenderer.invoke(IPC.takeDeepLinks).then((missed: DeepLink[]) => missed.forEach(listener));
    return () => {
      ipcRenderer.removeListener(IPC.deepLink, onPush);
    };
  },
  notify(notification: DesktopNotification): void {
    void ipcRenderer.invoke(IPC.notify, notification);
  },
} satisfies DesktopApi;

contextBridge.exposeInMainWorld(DESKTOP_API_KEY, api);
