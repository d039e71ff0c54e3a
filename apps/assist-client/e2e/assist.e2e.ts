import { expect, test, type BrowserContext } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wrtc from '@roamhq/wrtc';
import { i420PixelToRgb, selectBackend, type CaptureBackend } from '@beckon/capture';
import { startProbeWindow, type ProbeWindow } from '@beckon/capture/testing';
import { bytesSource, FileTransfers } from '@beckon/session';
import { expectAccessible } from '../../../testing/axe.ts';
import { CAPTURE_WHOLE_SCREEN, CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../../testing/chromium.ts';
import { DesktopHost } from '../src/desktop/desktop-host.ts';
import { MediaBridge } from '../src/desktop/media-bridge.ts';
import { UiController } from '../src/desktop/ui-controller.ts';
import { TestAgent } from '../src/testing/agent.ts';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { buildRenderers, serveRenderers } from './harness/renderer-bundle.ts';
import { PageWindows } from './harness/page-windows.ts';

// The Electron assist client without Electron: its renderer bundle in Debian
// Chromium (headed, on the Xvfb screen), its main-process modules running for
// real in this process (DesktopHost, UiController, MediaBridge, RemoteControl
// with X11 input, fileInbox), the IPC between them played by Playwright
// bindings. A real broker; the agent is the console's AgentSession on wrtc.

// wrtc crashes Node's teardown once video was received: leave without it.
process.on('exit', (code) => (process as unknown as { reallyExit(c: number): never }).reallyExit(code));

const DISPLAY = process.env['DISPLAY'] ?? ':99';
const SHOTS = join(import.meta.dirname, '../../../.tools/test-results');
const PROBE = { x: 40, y: 40, width: 420, height: 300 };

test.use({
  // What Electron's window sees: the real screen's size (Chromium sizes a screen capture by it).
  screen: { width: 1280, height: 720 },
  launchOptions: {
    executablePath: CHROMIUM_PATH,
    // Chromium picks the whole screen itself, as main's setDisplayMediaRequestHandler does in Electron.
    args: [...CHROMIUM_FLAGS, CAPTURE_WHOLE_SCREEN, '--window-position=760,380'],
  },
});
test.describe.configure({ mode: 'serial' });

let renderers: { url: string; close(): Promise<void> };
let rendererDir: string;
let broker: TestBroker;
let backend: CaptureBackend;
let probe: ProbeWindow;
const downloads = mkdtempSync(join(tmpdir(), 'beckon-assist-e2e-'));

test.beforeAll(async () => {
  rendererDir = await buildRenderers();
  renderers = await serveRenderers(rendererDir);
  // The agent is the kit's administrator: the windows name it "admin" (its email's local part).
  broker = await startBroker({ BECKON_ORG_NAME: 'Acme Support' });
  const selected = await selectBackend('linux', { display: DISPLAY });
  if (!selected.ok) throw new Error(selected.error.message);
  backend = selected.backend;
  probe = await startProbeWindow({ display: DISPLAY, ...PROBE, color: '#00c000', entry: true });
});

test.afterAll(async () => {
  await probe?.close();
  await broker?.stop();
  await renderers?.close();
  rmSync(rendererDir, { recursive: true, force: true });
  rmSync(downloads, { recursive: true, force: true });
});

function focusWindowUnderPointer(): void {
  const env = { ...process.env, DISPLAY };
  const where = execFileSync('xdotool', ['getmouselocation', '--shell'], { env }).toString();
  const window = /^WINDOW=(\d+)$/m.exec(where)?.[1];
  if (!window) throw new Error(`no window under the pointer: ${where}`);
  execFileSync('xdotool', ['windowfocus', '--sync', window], { env });
}

/** Main as the Electron app wires it (main/assist-app.ts), with pages for windows. */
async function assistClient(
  context: BrowserContext,
  opts: { language?: string; consentTimeoutMs?: number } = {},
) {
  const request = await broker.api.createRequest({
    recipientName: 'Ada',
    comment: 'printer',
    language: opts.language ?? 'en',
  });
  const windows = await PageWindows.create(context, renderers.url);
  const ui = new UiController(windows, windows);
  const media = new MediaBridge(windows);
  media.attach(windows.open('host', () => {}));
  const host = new DesktopHost({
    brokerUrl: broker.url,
    target: { kind: 'token', token: request.customerLink.split('/j/')[1]! },
    backend,
    ui,
    media,
    downloadDir: downloads,
    consentTimeoutMs: opts.consentTimeoutMs ?? 60_000,
    log: (line) => process.env['DEBUG_E2E'] && console.log(`[host] ${line}`),
  });
  ui.onStop(() => host.stop());
  const summary = await host.start();
  await broker.api.waitForStatus(request.id, 'waiting');
  const agent = new TestAgent(broker.url, broker.token, request.id, wrtc);
  await agent.start();
  return { request, windows, ui, host, agent, summary };
}

test('Deny and the timeout both refuse, and nothing is captured', async ({ context }) => {
  // Short enough to wait out, long enough that a loaded CI machine opens the window first.
  const { request, windows, host, agent } = await assistClient(context, { consentTimeoutMs: 8000 });
  try {
    let mark = agent.connect(['view', 'control']);
    const consent = await windows.page('consent');
    await expect(consent.locator('#asks')).toHaveText(
      'admin from Acme Support asks for access to this computer.',
    );
    await expect(consent.locator('#reason')).toHaveText('printer');
    await expect(consent.locator('#permissions li')).toHaveText([
      'See your screen',
      'Use your mouse and keyboard',
    ]);
    await expect(consent.locator('#countdown')).toContainText('Denied automatically in');
    await consent.getByRole('button', { name: 'Deny' }).click();
    const denied = await agent.next('consent_result', mark);
    expect([denied.granted, denied.reason]).toEqual([false, 'user']);
    await expect.poll(() => consent.isClosed()).toBe(true);

    mark = agent.connect(['view']);
    const second = await windows.page('consent');
    await expect(second.locator('#allow')).toBeEnabled();
    const silent = await agent.next('consent_result', mark, 15_000);
    expect([silent.granted, silent.reason]).toEqual([false, 'timeout']);
    await expect.poll(() => second.isClosed()).toBe(true);

    expect(host.captureAllowed).toBe(false);
    expect(windows.pages.has('indicator')).toBe(false);
    expect(agent.frames).toBe(0);
    expect(await broker.api.status(request.id)).toBe('waiting');
  } finally {
    agent.close();
    host.leave();
  }
});

test('Allow streams the real screen through Chromium, and the agent clicks and types through the bridge', async ({
  context,
}) => {
  const { request, windows, host, agent } = await assistClient(context);
  const errors: string[] = [];
  try {
    const hostPage = await windows.page('host');
    hostPage.on('pageerror', (e) => errors.push(e.message));
    const mark = agent.connect(['view', 'control', 'file_transfer']);
    const consent = await windows.page('consent');
    await consent.getByRole('button', { name: 'Allow' }).click();
    expect((await agent.next('consent_result', mark)).granted).toBe(true);
    const peer = await agent.connected(30_000);
    await broker.api.waitForStatus(request.id, 'in_session');

    // Frames of the Xvfb screen as Chromium captured it: the green probe window is where it is.
    const at = { x: PROBE.x + 200, y: PROBE.y + 120 };
    await expect
      .poll(
        () => {
          const f = agent.lastFrame;
          if (!f || f.width !== 1280) return `no full-size frame yet (${f?.width}x${f?.height})`;
          const [r, g, b] = i420PixelToRgb({ width: f.width, height: f.height, data: f.data }, at.x, at.y);
          return g > 140 && r < 90 && b < 90 ? 'green' : `rgb ${r},${g},${b}`;
        },
        { timeout: 20_000 },
      )
      .toBe('green');

    // The indicator says who is connected, with the same code the agent sees.
    const indicator = await windows.page('indicator');
    await expect(indicator.locator('#status')).toHaveText('admin is connected to this computer');
    const { verificationCode } = await agent.live();
    await expect(indicator.locator('#code')).toHaveText(`Code ${verificationCode}`);

    // A click into the probe's text field and typed text: real X11 input, through the bridge, into main.
    const fx = (probe.ready.x + 100) / 1280;
    const fy = (probe.ready.y + probe.ready.height - 15) / 720;
    agent.send({ type: 'pointer_button', button: 'left', action: 'down', x: fx, y: fy });
    agent.send({ type: 'pointer_button', button: 'left', action: 'up', x: fx, y: fy });
    const click = await probe.waitFor((e) => e.event === 'button' && e.num === 1, 10_000);
    expect(click).toMatchObject({ x: probe.ready.x + 100, y: probe.ready.y + probe.ready.height - 15 });
    // Bare Xvfb has no window manager, and Chromium holds the keyboard focus: do what a
    // window manager does on a click, focus the window under the pointer, then type.
    focusWindowUnderPointer();
    agent.send({ type: 'type_text', text: 'hello from chromium' });
    expect(await probe.waitForText('hello from chromium', 10_000)).toBe('hello from chromium');

    // A file: the person is asked in the file window, then it lands in the inbox.
    const files = new FileTransfers(peer.filesTransport());
    const sent = files.send({
      name: '../notes.txt',
      source: bytesSource(new TextEncoder().encode('hi\n')),
    }).done;
    const question = await windows.page('files');
    await expect(question.locator('#question')).toHaveText('admin wants to send you “notes.txt” (3 B).');
    await expectAccessible(question, 'the file window');
    await question.getByRole('button', { name: 'Save file' }).click();
    await sent;
    expect(readFileSync(join(downloads, 'notes.txt'), 'utf8')).toBe('hi\n');

    // Stop in the indicator ends the session at once; the request goes on.
    // Stop closes the indicator window itself, at times before Playwright's click has
    // returned; a closed window is then the expected outcome, not an error.
    await indicator
      .getByRole('button', { name: 'Stop' })
      .click()
      .catch((err: unknown) => {
        if (!indicator.isClosed()) throw err;
      });
    await expect
      .poll(() => agent.peer === null || agent.peer.state === 'closed', { timeout: 5000 })
      .toBe(true);
    await broker.api.waitForStatus(request.id, 'waiting');
    expect(host.captureAllowed).toBe(false);
    expect(errors).toEqual([]);
  } finally {
    agent.close();
    host.leave();
  }
});

test('the consent window and the indicator in every language', async ({ context }) => {
  const windows = await PageWindows.create(context, renderers.url);
  const ui = new UiController(windows, windows);
  const expected = {
    en: ['Allow remote support?', 'Allow', 'Ada is connected to this computer'],
    de: ['Fernsupport erlauben?', 'Erlauben', 'Ada ist mit diesem Computer verbunden'],
    ja: ['リモートサポートを許可しますか?', '許可', 'Ada がこのコンピューターに接続しています'],
    ko: ['원격 지원을 허용하시겠습니까?', '허용', 'Ada 님이 이 컴퓨터에 연결되어 있습니다'],
  } as const;
  for (const [language, [title, allow, live]] of Object.entries(expected) as [
    keyof typeof expected,
    readonly string[],
  ][]) {
    const withdraw = new AbortController();
    const answer = ui.askConsent(
      {
        agentName: 'Ada',
        organisationName: 'Acme Support',
        comment: 'The printer in room 4 prints blank pages.',
        permissions: ['view', 'control', 'file_transfer', 'system_info'],
        deadline: Date.now() + 60_000,
        language,
        brand: { color: '#0a7d4f', message: null, logo: null },
      },
      withdraw.signal,
    );
    const consent = await windows.page('consent');
    await expect(consent.locator('#title')).toHaveText(title!);
    await expect(consent.locator('#allow')).toHaveText(allow!);
    await consent.screenshot({ path: join(SHOTS, `assist-consent-${language}.png`) });
    await expectAccessible(consent, `the consent window (${language})`);
    if (language === 'en') {
      // Keyboard only: Tab reaches Deny and Allow, and Enter answers with the focused one.
      const reached: string[] = [];
      for (let i = 0; i < 4; i++) {
        await consent.keyboard.press('Tab');
        reached.push(await consent.evaluate(() => document.activeElement?.id ?? ''));
      }
      expect(reached).toContain('allow');
      expect(reached).toContain('deny');
      await consent.locator('#deny').focus();
      // The window answers on Enter's keydown and closes, which can be before the key-up Playwright
      // sends next: a press that fails only because the window it answered is gone is fine.
      await consent.keyboard.press('Enter').catch((err: unknown) => {
        if (!consent.isClosed()) throw err;
      });
      expect(await answer).toBe('deny');
    }
    withdraw.abort();
    expect(await answer).toBe('deny');
    ui.showIndicator({
      phase: 'live',
      agentName: 'Ada',
      language,
      verificationCode: '042 917',
      permissions: ['view'],
    });
    const indicator = await windows.page('indicator');
    await expect(indicator.locator('#status')).toHaveText(live!);
    await indicator.screenshot({ path: join(SHOTS, `assist-indicator-${language}.png`) });
    await expectAccessible(indicator, `the indicator (${language})`);
    ui.hideIndicator();
    await expect.poll(() => indicator.isClosed()).toBe(true);
  }
});
