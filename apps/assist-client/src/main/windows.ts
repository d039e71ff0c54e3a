import { join } from 'node:path';
import { app, BrowserWindow, screen, session, type IpcMainInvokeEvent } from 'electron';
import { CONSENT_IPC, INDICATOR_IPC, type ConsentPrompt, type IndicatorStatus } from '../shared/ipc.ts';
import { createConsentGate, type ConsentDecision } from './consent-gate.ts';
import { handleValidated, noArgs, type InvokeRegistry } from './ipc.ts';
import { createObservable } from './observable.ts';
import { secureWebPreferences } from './web-preferences.ts';

// Built layout: out/main/index.js, out/preload/<window>.cjs, out/renderer/<window>/index.html.
const outDir = join(import.meta.dirname, '..');

type WindowName = 'consent' | 'indicator';

/** What the host engine uses to talk to the end user. */
export interface AssistUi {
  /** Shows the consent window; resolves with the decision. Closing the window denies. */
  askConsent(prompt: ConsentPrompt): Promise<ConsentDecision>;
  /** Shows the always-on-top "session is on" indicator, or updates it. */
  showIndicator(status: IndicatorStatus): void;
  hideIndicator(): void;
  /** The end user pressed Stop or closed the indicator. Returns an unsubscribe. */
  onStop(listener: () => void): () => void;
}

/** Windows never open other windows, navigate away, or get permissions from the page. */
export function hardenContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}

function loadPage(window: BrowserWindow, name: WindowName): void {
  const devServer = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devServer) void window.loadURL(`${devServer}/${name}/index.html`);
  else void window.loadFile(join(outDir, 'renderer', name, 'index.html'));
}

function createConsentWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 480,
    height: 320,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    alwaysOnTop: true,
    title: 'Beckon Assist',
    show: false,
    webPreferences: secureWebPreferences(join(outDir, 'preload', 'consent.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  loadPage(window, 'consent');
  return window;
}

function createIndicatorWindow(): BrowserWindow {
  const width = 360;
  const height = 56;
  const { workArea } = screen.getPrimaryDisplay();
  const window = new BrowserWindow({
    width,
    height,
    x: Math.round(workArea.x + (workArea.width - width) / 2),
    y: workArea.y + 8,
    frame: false,
    resizable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    alwaysOnTop: true,
    title: 'Beckon Assist: session on',
    show: false,
    webPreferences: secureWebPreferences(join(outDir, 'preload', 'indicator.cjs')),
  });
  window.setAlwaysOnTop(true, 'screen-saver');
  window.setVisibleOnAllWorkspaces(true);
  window.once('ready-to-show', () => window.showInactive());
  loadPage(window, 'indicator');
  return window;
}

/** Creates the end-user windows on demand and registers their IPC handlers. Call once, after `ready`. */
export function createAssistUi(ipc: InvokeRegistry): AssistUi {
  const gate = createConsentGate();
  const status = createObservable<IndicatorStatus | null>(null);
  const stopListeners = new Set<() => void>();
  let consent: BrowserWindow | null = null;
  let indicator: BrowserWindow | null = null;

  const from =
    (window: () => BrowserWindow | null) =>
    (event: IpcMainInvokeEvent): boolean =>
      event.sender === window()?.webContents;
  const fromConsent = from(() => consent);
  const fromIndicator = from(() => indicator);

  const stop = (): void => {
    for (const listener of [...stopListeners]) listener();
  };
  const decide = (decision: ConsentDecision): void => {
    gate.decide(decision);
    const window = consent;
    consent = null;
    window?.close();
  };

  handleValidated(ipc, CONSENT_IPC.request, noArgs, fromConsent, () => gate.pending());
  handleValidated(ipc, CONSENT_IPC.allow, noArgs, fromConsent, () => decide('allow'));
  handleValidated(ipc, CONSENT_IPC.deny, noArgs, fromConsent, () => decide('deny'));
  handleValidated(ipc, INDICATOR_IPC.status, noArgs, fromIndicator, () => status.get());
  handleValidated(ipc, INDICATOR_IPC.stop, noArgs, fromIndicator, () => stop());

  status.subscribe((next) => {
    if (next) indicator?.webContents.send(INDICATOR_IPC.statusChanged, next);
  });

  return {
    askConsent(prompt) {
      if (gate.pending()) return Promise.reject(new Error('a consent prompt is already open'));
      const answer = gate.ask(prompt);
      const window = createConsentWindow();
      consent = window;
      // Closed by the user (not after allow / deny): that is a deny.
      window.on('closed', () => {
        if (consent !== window) return;
        consent = null;
        gate.decide('deny');
      });
      return answer;
    },
    showIndicator(next) {
      status.set(next);
      if (indicator) return;
      const window = createIndicatorWindow();
      indicator = window;
      // Closed by the user (not by hideIndicator): that is a stop.
      window.on('closed', () => {
        if (indicator !== window) return;
        indicator = null;
        stop();
      });
    },
    hideIndicator() {
      status.set(null);
      const window = indicator;
      indicator = null;
      window?.close();
    },
    onStop(listener) {
      stopListeners.add(listener);
      return () => {
        stopListeners.delete(listener);
      };
    },
  };
}
