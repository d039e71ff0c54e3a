// The main-process side of the shell. The preload side is
// `@beckon/electron-shell/preload`, the pure IPC spec `@beckon/electron-shell/api-spec`.
export { buildApi, type ApiSpec, type Invoke, type Subscribe } from './api-spec.ts';
export { DENY_ALL_PERMISSIONS, guardContents, hardenContents, type PermissionPolicy } from './harden.ts';
export { handleValidated, noArgs, type InvokeEvent, type InvokeRegistry } from './ipc-main.ts';
export { claimSingleInstance, firstLink, type LaunchInfo, type LinkHandlers } from './single-instance.ts';
export { rendererPage, type PageSource } from './renderer-page.ts';
export { secureWebPreferences } from './web-preferences.ts';
