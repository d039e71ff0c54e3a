import { resolve } from 'node:path';
import { CHROMIUM_SWITCHES } from '@beckon/session';
import { app, BrowserWindow, ipcMain, Notification } from 'electron';
import { IPC, type DeepLink } from '../shared/ipc.ts';
import { createDeepLinkInbox } from './deep-link-inbox.ts';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink } from './deep-link.ts';
import { handleValidated, noArgs } from './ipc.ts';
import { NotifyArgsSchema, showNotification, type NativeNotifications } from './notifications.ts';
import { createMainWindow, hardenContents } from './windows.ts';

// Before the app is ready, or Chromium ignores them: remote screens shown the moment they decode.
for (const [name, value] of CHROMIUM_SWITCHES.agent) app.commandLine.appendSwitch(name, value);

let mainWindow: BrowserWindow | null = null;

const inbox = createDeepLinkInbox((link: DeepLink) => mainWindow?.webContents.send(IPC.deepLink, link));

// Held until clicked or closed: a collected notification loses its click handler.
const shownNotifications = new Set<Notification>();
const nativeNotifications: NativeNotifications = {
  isSupported: () => Notification.isSupported(),
  show({ title, body }, onClick) {
    const note = new Notification({ title, body });
    shownNotifications.add(note);
    note.on('click', () => {
      shownNotifications.delete(note);
      onClick();
    });
    note.on('close', () => shownNotifications.delete(note));
    note.show();
  },
};

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.focus();
}

function openMainWindow(): void {
  const window = createMainWindow();
  mainWindow = window;
  window.webContents.on('did-start-loading', () => inbox.reset());
  window.on('closed', () => {
    inbox.reset();
    if (mainWindow === window) mainWindow = null;
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // In development Electron runs as `electron <app>`: the OS must pass that path too.
  if (process.defaultApp && process.argv[1]) {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [resolve(process.argv[1])]);
  } else {
    app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }

  const initial = deepLinkFromArgv(process.argv);
  if (initial) inbox.receive(initial);

  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link) inbox.receive(link);
    focusMainWindow();
  });

  // macOS delivers links as an event, possibly before `ready`.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const link = parseDeepLink(url);
    if (link) inbox.receive(link);
    focusMainWindow();
  });

  void app.whenReady().then(() => {
    hardenContents();
    handleValidated(
      ipcMain,
      IPC.takeDeepLinks,
      noArgs,
      (event) => event.sender === mainWindow?.webContents,
      () => inbox.take(),
    );
    handleValidated(
      ipcMain,
      IPC.notify,
      NotifyArgsSchema,
      (event) => event.sender === mainWindow?.webContents,
      ([notification]) =>
        showNotification(nativeNotifications, notification, (requestId) => {
          inbox.receive({ kind: 'request', requestId });
          focusMainWindow();
        }),
    );
    openMainWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openMainWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
