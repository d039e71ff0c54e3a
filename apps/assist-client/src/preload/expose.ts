import { exposeApi, ipcRendererApi } from '@beckon/electron-shell/preload';
import { API_SPECS, ASSIST_API_KEY, type WindowName } from '../shared/ipc.ts';

/** Exposes one window's API, built from its spec by the shell; nothing else of Electron reaches the page. */
export function exposeWindowApi(name: WindowName): void {
  exposeApi(ASSIST_API_KEY, ipcRendererApi(API_SPECS[name]));
}
