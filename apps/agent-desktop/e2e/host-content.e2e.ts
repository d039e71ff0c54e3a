import { expect, test, type Download, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, row, signIn } from './console-helpers.ts';
import { captureTesting, startAssist, type Assist, type Xvfb } from './host-side.ts';

// What a host sends must never run in the agent's console.
// A real broker, the console in Chromium, and the real headless assist client
// changed the way an attacker on the end user's computer would change it
// (hostile-host.ts): once allowed, it offers a text/html file with a script
// and a right-to-left override in its name, from a host whose own name hides
// one too. The script would leave marks the test looks for: a request to the
// broker as the agent, a key in the console's storage, a changed title.
test.describe.configure({ mode: 'serial' });

const MARK = 'beckon-host-script-ran';
const HOSTILE_PAGE = [
  '<!doctype html><title>hostile</title>',
  `<script>localStorage.setItem('${MARK}', location.href); document.title = '${MARK}';`,
  `fetch(location.origin + '/api/v1/me?${MARK}=1');`,
  `try { window.opener.localStorage.setItem('${MARK}', 'opener') } catch {}</script>`,
  `<img src=x onerror="localStorage.setItem('${MARK}', 'onerror')">`,
].join('');
/** Displays as "invoicelmth.jpg"; the console must show what it is. */
const RTL_NAME = 'invoice\u202Egpj.html';
const RTL_HOST = 'desk\u202Efdp.exe';

let broker: TestBroker;
let host: Xvfb;
let downloads: string;
let assist: Assist | undefined;

test.beforeAll(async () => {
  const cap = await captureTesting();
  broker = await startBroker();
  host = await cap.startXvfb({ width: 800, height: 600 });
  downloads = mkdtempSync(join(tmpdir(), 'beckon-host-content-e2e-'));
});

test.afterAll(async () => {
  await assist?.stop();
  await broker?.stop();
  await host?.stop();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

/** Whatever a host script could have left behind in the console's origin. */
async function marks(page: Page, requests: readonly string[]) {
  return {
    storage: await page.evaluate((key) => localStorage.getItem(key), MARK),
    requests: requests.filter((url) => url.includes(MARK)),
  };
}

test('a text/html file from a host is only ever saved; hidden characters in host names show', async ({
  browser,
}, info) => {
  test.setTimeout(180_000);
  const { context, page, errors, dialogs } = await newPage(browser);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const saved: Download[] = [];
  context.on('page', (p) => p.on('download', (d) => saved.push(d)));
  page.on('download', (d) => saved.push(d));

  const served = await page.goto(`${broker.url}/console/`);
  const csp = served?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|blob:|data:[^;]*script|script-src[^;]*data:/);
  await signIn(page, broker.url);

  // The compromised host joins; the agent connects and the person allows.
  const created = await broker.api.createRequest({ recipientName: 'Mallory Host' });
  assist = startAssist({
    broker: broker.url,
    code: created.displayCode,
    display: host.display,
    downloadDir: downloads,
    hostname: RTL_HOST,
    entry: join(import.meta.dirname, 'hostile-host.ts'),
    env: { BECKON_E2E_OFFER: JSON.stringify({ name: RTL_NAME, mime: 'text/html', text: HOSTILE_PAGE }) },
  });
  await assist.waitFor(/Joined s\d\d-\d{3}-\d{3}/);
  await expect(row(page, 'Mallory Host').getByText('Waiting')).toBeVisible();
  await row(page, 'Mallory Host').getByRole('button', { name: 'Connect' }).click();
  await assist.waitFor(/asks to/);
  assist.say('allow');
  await expect(page.getByText('Connected to Mallory Host')).toBeVisible({ timeout: 30_000 });
  await assist.waitFor(/hostile: offered/);

  // The offer names the file with the override shown, not obeyed.
  const panel = page.getByRole('complementary', { name: 'Remote tasks' });
  const offer = panel.locator('[data-transfer-state="asking"]');
  await expect(offer.locator('.transfer-name')).toHaveText('invoice⟨U+202E⟩gpj.html');
  await offer.getByRole('button', { name: 'Accept' }).click();
  await assist.waitFor(/hostile: delivered/);
  const done = panel.locator('[data-transfer-state="done"]');
  await expect(done.locator('.transfer-name')).toHaveText('invoice⟨U+202E⟩gpj.html');
  expect(await panel.textContent()).not.toContain('\u202E');

  // The host's own name, from its system information, shows the same way.
  await panel.getByRole('button', { name: 'Read system information' }).click();
  await expect(panel.getByTestId('sysinfo')).toContainText('desk⟨U+202E⟩fdp.exe');
  expect(await panel.getByTestId('sysinfo').textContent()).not.toContain('\u202E');
  await page.screenshot({ path: info.outputPath('host-content.png') });

  const save = done.getByRole('link', { name: 'Save' });
  await expect(save).toHaveAttribute('download', 'invoicegpj.html');
  const href = (await save.getAttribute('href')) ?? '';
  expect(href).toMatch(/^blob:http:\/\/127\.0\.0\.1:\d+\//);

  // 1. The link opened in a new tab from the address bar: no content policy
  //    follows a blob: URL there, so only the bytes' type keeps it from being a page.
  const tab = await context.newPage();
  const opened = await tab.goto(href).then(
    () => 'rendered',
    (e: Error) => e.message,
  );
  await tab.waitForTimeout(1_000);
  expect(await marks(page, requests)).toEqual({ storage: null, requests: [] });
  expect(opened).toMatch(/Download is starting/);
  if (!tab.isClosed()) await tab.close();

  // 2. Opened by the console itself (window.open, as a click with a target would).
  await page.evaluate((url) => void window.open(url), href);
  await expect.poll(() => saved.length).toBe(2);
  expect(await marks(page, requests)).toEqual({ storage: null, requests: [] });

  // 3. The Save link saves it under the sanitized name, bytes unchanged.
  await save.click();
  await expect.poll(() => saved.length).toBe(3);
  const download = saved[2] as Download;
  expect(download.suggestedFilename()).toBe('invoicegpj.html');
  expect(readFileSync(await download.path(), 'utf8')).toBe(HOSTILE_PAGE);
  expect(await marks(page, requests)).toEqual({ storage: null, requests: [] });
  expect(await page.title()).toBe('Beckon');

  await page.locator('.remote-toolbar').getByRole('button', { name: 'End session' }).click();
  await expect(page.getByRole('alert')).toContainText('The session with Mallory Host ended.');
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test("a blob: page the console opens inherits the console's policy and runs no script", async ({
  browser,
}) => {
  // Layer two, for any blob: document the console could ever open: the
  // policy it is served with goes with the blob: URLs it makes.
  const { context, page } = await newPage(browser);
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  await page.goto(`${broker.url}/console/`);
  const href = await page.evaluate(
    (html) => URL.createObjectURL(new Blob([html], { type: 'text/html' })),
    HOSTILE_PAGE,
  );
  const [popup] = await Promise.all([
    context.waitForEvent('page'),
    page.evaluate((url) => void window.open(url), href),
  ]);
  await popup.waitForLoadState();
  await popup.waitForTimeout(1_000);
  expect(await popup.title()).toBe('hostile');
  expect(await marks(page, requests)).toEqual({ storage: null, requests: [] });
  await context.close();
});
