import { contextBridge, ipcRenderer } from 'electron';
import { ASSIST_API_KEY, CONSENT_IPC, type ConsentApi, type ConsentPrompt } from '../shared/ipc.ts';

const api = {
  request: (): Promise<ConsentPrompt | null> => ipcRenderer.invoke(CONSENT_IPC.request),
  allow: async (): Promise<void> => {
    await ipcRenderer.invoke(CONSENT_IPC.allow);
  },
  deny: async (): Promise<void> => {
    await ipcRenderer.invoke(CONSENT_IPC.deny);
  },
} satisfies ConsentApi;

contextBridge.exposeInMainWorld(ASSIST_API_KEY, api);
