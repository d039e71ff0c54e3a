import { hardenContents, rendererPage, secureWebPreferences } from '@beckon/electron-shell';
import { app, BrowserWindow, desktopCapturer, screen, session, type WebContents } from 'electron';
import { join } from 'node:path';
import { decideDisplayMedia, decidePermission, pickScreen } from '../desktop/display-media.ts';
import type { WindowHandle, WindowOpener } from '../desktop/windows-contract.ts';
import type { WindowName } from '../shared/ipc.ts';

// Built layout: out/main/index.js, out/preload/<window>.cjs, out/renderer/<window>/index.html.
const outDir = join(import.meta.dirname, '..');

/**
 * The shell's hardening (no navigation, no new windows, no webview), with the
 * one permission a page gets: screen capture, for the host window, during an
 * allowed session.
 */
export function hardenAssistWindows(
  isHost: (contents: WebContents) => boolean,
  captureAllowed: () => boolean,
): void {
  const s = session.defaultSession;
  hardenContents(app, s, {
    request: (contents, permission) => decidePermission(permission, isHost(contents), captureAllowed()),
    check: (contents, permission) =>
      decidePermission(permission, contents ? isHost(contents) : false, captureAllowed()),
  });
  // getDisplayMedia in the host window: video only, the whole primary screen, only during an allowed session.
  s.setDisplayMediaRequestHandler((request, callback) => {
    const frame = request.frame;
    const fromHost = BrowserWindow.getAllWindows().some(
      (w) =>
        isHost(w.webContents) &&
        w.webContents.mainFrame.processId === frame?.processId &&
        w.webContents.mainFrame.routingId === frame.routingId,
    );
    const decision = decideDisplayMedia(
      {
        fromHostWindow: fromHost,
        videoRequested: request.videoRequested,
        audioRequested: request.audioRequested,
      },
      captureAllowed(),
    );
    if (!decision.grant) return callback({});
    void desktopCapturer.getSources({ types: ['screen'] }).then(
      (sources) => {
        const picked = pickScreen(sources, String(screen.getPrimaryDisplay().id));
        callback(picked ? { video: picked } : {});
      },
      () => callback({}),
    );
  });
}

const OPTIONS: Record<WindowName, Electron.BrowserWindowConstructorOptions> = {
  consent: { width: 520, height: 560, alwaysOnTop: true, title: 'Beckon Assist' },
  files: { width: 460, height: 260, alwaysOnTop: true, title: 'Beckon Assist' },
  indicator: { width: 420, height: 64, frame: false, alwaysOnTop: true, title: 'Beckon Assist: session on' },
  host: { width: 320, height: 200, title: 'Beckon Assist host' },
};

/** Opens the customer's windows as sandboxed BrowserWindows; one preload per window. */
export const electronWindows: WindowOpener = {
  open(name, onClosed): WindowHandle {
    const webPreferences = secureWebPreferences(join(outDir, 'preload', `${name}.cjs`));
    // The hidden host window must keep capturing and encoding at full rate.
    if (name === 'host') webPreferences.backgroundThrottling = false;
    const window = new BrowserWindow({
      ...OPTIONS[name],
      resizable: false,
      minimizable: name === 'host',
      maximizable: false,
      fullscreenable: false,
      show: false,
      webPreferences,
    });
    if (name === 'indicator') {
      const { workArea } = screen.getPrimaryDisplay();
      window.setPosition(Math.round(workArea.x + (workArea.width - 420) / 2), workArea.y + 8);
      window.setAlwaysOnTop(true, 'screen-saver');
      window.setVisibleOnAllWorkspaces(true);
      window.once('ready-to-show', () => window.showInactive());
    } else if (name !== 'host') {
      window.once('ready-to-show', () => window.show());
    }
    let closing = false;
    window.on('closed', () => closing || onClosed());
    const page = rendererPage({
      packaged: app.isPackaged,
      devServer: process.env['ELECTRON_RENDERER_URL'],
      outDir,
      page: name,
    });
    if ('url' in page) void window.loadURL(page.url);
    else void window.loadFile(page.file);
    const contents = window.webContents;
    return {
      senderId: contents.id,
      push: (channel, payload) => !contents.isDestroyed() && contents.send(channel, payload),
      close: () => {
        closing = true;
        if (!window.isDestroyed()) window.close();
      },
    };
  },
};
