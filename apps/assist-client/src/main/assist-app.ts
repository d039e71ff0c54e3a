import { selectBackend } from '@beckon/capture';
import { app, dialog, ipcMain, type WebContents } from 'electron';
import { join } from 'node:path';
import { clientTitle, type ClientConfig } from '../desktop/client-config.ts';
import { DesktopHost } from '../desktop/desktop-host.ts';
import { EngineMedia } from '../desktop/engine-media.ts';
import type { HostMedia } from '../desktop/host-media.ts';
import { MediaBridge } from '../desktop/media-bridge.ts';
import { chooseHostMedia } from '../desktop/media-choice.ts';
import { UiController } from '../desktop/ui-controller.ts';
import type { WindowHandle } from '../desktop/windows-contract.ts';
import { HOST_RECORD_FILE, HostRecord, userDataDir } from '../engine/host-record.ts';
import { JoinError } from '../engine/join.ts';
import type { JoinTarget } from './join-target.ts';
import { createTray, type TrayState } from './tray.ts';
import { electronWindows, hardenAssistWindows } from './windows.ts';

/**
 * Wires the plain main-process modules to Electron: windows, IPC, the
 * display-media handler, the tray. Everything it calls is tested in Node or
 * in Chromium; only this plumbing needs the Electron binary.
 */
export async function startAssistApp(
  config: ClientConfig,
): Promise<{ join(target: JoinTarget): Promise<void> }> {
  const { brokerUrl } = config;
  let current: DesktopHost | null = null;
  let host: WindowHandle | null = null;
  const isHost = (contents: WebContents) => contents.id === host?.senderId;
  hardenAssistWindows(isHost, () => current?.captureAllowed ?? false);

  const ui = new UiController(ipcMain, electronWindows);
  const selected = await selectBackend(process.platform);
  if (!selected.ok) throw new Error(selected.error.message);
  const backend = selected.backend;
  const log = (line: string) => console.info(`[beckon-assist] ${line}`);
  const choice = await chooseHostMedia(backend, process.env);
  let media: HostMedia;
  if (choice.kind === 'engine') {
    log('screen: the engine in main (X11 grab, wrtc)');
    media = new EngineMedia({ backend, wrtc: choice.wrtc, log });
  } else {
    log(`screen: the host window's Chromium (${choice.why})`);
    const bridge = new MediaBridge(ipcMain);
    media = bridge;
    const openHost = () => {
      host = electronWindows.open('host', () => {
        // The host window died: the session cannot go on; a fresh window waits for the next.
        current?.stop();
        openHost();
      });
      bridge.attach(host);
    };
    openHost();
  }
  const quit = () => {
    current?.stop();
    current?.leave('quit');
    // With wrtc loaded, leave without the orderly teardown: wrtc crashes Node's own once a
    // track was used (the headless client exits the same way, headless/cli.ts).
    void backend.close().finally(() => (choice.kind === 'engine' ? app.exit(0) : app.quit()));
  };
  const tray = createTray({ stop: () => current?.stop(), quit });
  ui.onStop(() => current?.stop());

  return {
    async join(target) {
      if (current?.captureAllowed) return; // a session is on: a second link does not interrupt it
      current?.leave('replaced');
      const session = new DesktopHost({
        brokerUrl,
        // Baked branding (SR8) reaches the consent window without a round-trip; else it is fetched.
        bakedBrand: config.branding ?? null,
        target,
        backend,
        ui,
        media,
        downloadDir: join(app.getPath('downloads'), 'Beckon'),
        // The same file as the terminal face's, so `beckon-assist --history` shows both.
        record: new HostRecord(join(userDataDir(), HOST_RECORD_FILE), (line) =>
          console.warn(`[beckon-assist] ${line}`),
        ),
        log,
      });
      current = session;
      let state: TrayState = { agentName: '…', language: 'en', live: false };
      session.on('live', (l) => tray.update((state = { ...state, agentName: l.agentName, live: true })));
      session.on('ended', () => tray.update((state = { ...state, live: false })));
      session.on('closed', () => current === session && quit());
      try {
        const summary = await session.start();
        tray.update((state = { agentName: summary.agentName, language: summary.language, live: false }));
      } catch (err) {
        dialog.showErrorBox(
          clientTitle(config),
          err instanceof JoinError ? err.message : (err as Error).message,
        );
        quit();
      }
    },
  };
}
