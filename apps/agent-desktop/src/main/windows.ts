import { join } from 'node:path';
import { rendererPage, secureWebPreferences } from '@beckon/electron-shell';
import { app, BrowserWindow } from 'electron';

// Built layout: out/main/index.js, out/preload/console.cjs, out/renderer/index.html.
const outDir = join(import.meta.dirname, '..');

export function createConsoleWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    title: 'Beckon',
    show: false,
    webPreferences: secureWebPreferences(join(outDir, 'preload', 'console.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  const consoleAddress = consoleUrl(process.env['BECKON_BROKER_URL']);
  // With a broker configured the window shows that broker's console: the same
  // renderer, served same-origin, so its cookie, Origin checks and CSP apply
  // exactly as in a browser and no CORS opening is needed.
  const page = rendererPage({
    packaged: app.isPackaged,
    devServer: process.env['ELECTRON_RENDERER_URL'],
    outDir,
    page: '',
  });
  if (consoleAddress) void window.loadURL(consoleAddress);
  else if ('url' in page) void window.loadURL(page.url);
  else void window.loadFile(page.file);
  return window;
}

/** `https://broker.example.com` → its console URL; anything but http(s) is ignored. */
export function consoleUrl(broker: string | undefined): string | null {
  if (!broker || !URL.canParse(broker)) return null;
  const url = new URL(broker);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/console/`;
}
