import { resolve } from 'node:path';
import { app, ipcMain } from 'electron';
import { DEEP_LINK_SCHEME, parseDeepLink } from './deep-link.ts';
import { downloadedExecutable, resolveJoinTarget, type JoinTarget } from './join-target.ts';
import { createAssistUi, hardenContents } from './windows.ts';

function describe(target: JoinTarget): string {
  return target.kind === 'code' ? `session code ${target.code}` : 'a session link';
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

  const target = resolveJoinTarget(process.argv, downloadedExecutable(process.env, process.execPath));

  // A second launch (another link) goes to the running instance; macOS uses open-url.
  app.on('second-instance', (_event, argv) => {
    const next = resolveJoinTarget(argv, '');
    if (next) console.info(`[beckon-assist] asked to join ${describe(next)} while running`);
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    if (parseDeepLink(url)) console.info('[beckon-assist] asked to join a session link');
  });

  void app.whenReady().then(() => {
    hardenContents();
    const ui = createAssistUi(ipcMain);
    ui.onStop(() => ui.hideIndicator());
    if (!target) {
      console.error('[beckon-assist] open this app from a Beckon session link, or run the downloaded file');
      app.quit();
      return;
    }
    // The host engine (join, consent through `ui.askConsent`, capture, WebRTC) starts here in a later issue.
    console.error(`[beckon-assist] cannot join ${describe(target)} yet: the host engine is not implemented`);
    app.quit();
  });

  app.on('window-all-closed', () => app.quit());
}
