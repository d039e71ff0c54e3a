import { claimSingleInstance, handleValidated, hardenContents, noArgs } from '@beckon/electron-shell';
import { CHROMIUM_SWITCHES } from '@beckon/session';
import { app, BrowserWindow, ipcMain, Notification, session } from 'electron';
import { DESKTOP_IPC, type DeepLink } from '../shared/ipc.ts';
import { createDeepLinkInbox } from './deep-link-inbox.ts';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, parseDeepLink } from './deep-link.ts';
import { NotifyArgsSchema, showNotification, type NativeNotifications } from './notifications.ts';
import { createConsoleWindow } from './windows.ts';

// Before the app is ready, or Chromium ignores them: remote screens shown the moment they decode.
for (const [name, value] of CHROMIUM_SWITCHES.agent) app.commandLine.appendSwitch(name, value);

let consoleWindow: BrowserWindow | null = null;

const inbox = createDeepLinkInbox((link: DeepLink) =>
  consoleWindow?.webContents.send(DESKTOP_IPC.events.onDeepLink, link),
);

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

function focusConsoleWindow(): void {
  if (!consoleWindow) return;
  if (consoleWindow.isMinimized()) consoleWindow.restore();
  consoleWindow.focus();
}

function openConsoleWindow(): void {
  const window = createConsoleWindow();
  consoleWindow = window;
  window.webContents.on('did-start-loading', () => inbox.reset());
  window.on('closed', () => {
    inbox.reset();
    if (consoleWindow === window) consoleWindow = null;
  });
}

const claimed = claimSingleInstance(app, process, {
  scheme: DEEP_LINK_SCHEME,
  onSecondInstance(argv) {
    const link = deepLinkFromArgv(argv);
    if (link) inbox.receive(link);
    focusConsoleWindow();
  },
  onOpenUrl(url) {
    const link = parseDeepLink(url);
    if (link) inbox.receive(link);
    focusConsoleWindow();
  },
});

if (claimed) {
  const initial = deepLinkFromArgv(process.argv);
  if (initial) inbox.receive(initial);

  void app.whenReady().then(() => {
    hardenContents(app, session.defaultSession);
    handleValidated(
      ipcMain,
      DESKTOP_IPC.invoke.takeDeepLinks,
      noArgs,
      (event) => event.sender === consoleWindow?.webContents,
      () => inbox.take(),
    );
    handleValidated(
      ipcMain,
      DESKTOP_IPC.invoke.notify,
      NotifyArgsSchema,
      (event) => event.sender === consoleWindow?.webContents,
      ([notification]) =>
        showNotification(nativeNotifications, notification, (requestId) => {
          inbox.receive({ kind: 'request', requestId });
          focusConsoleWindow();
        }),
    );
    openConsoleWindow();
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openConsoleWindow();
    });
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
