import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ASSIST_API_KEY, INDICATOR_IPC, type IndicatorApi, type IndicatorStatus } from '../shared/ipc.ts';

const api = {
  stop: async (): Promise<void> => {
    await ipcRenderer.invoke(INDICATOR_IPC.stop);
  },
  onStatus(listener: (status: IndicatorStatus) => void): () => void {
    const onPush = (_event: IpcRendererEvent, status: IndicatorStatus): void => listener(status);
    ipcRenderer.on(INDICATOR_IPC.statusChanged, onPush);
    void ipcRenderer.invoke(INDICATOR_IPC.status).then((current: IndicatorStatus | null) => {
      if (current) listener(current);
    });
    return () => {
      ipcRenderer.removeListener(INDICATOR_IPC.statusChanged, onPush);
    };
  },
} satisfies IndicatorApi;

contextBridge.exposeInMainWorld(ASSIST_API_KEY, api);
