import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { startHarness } from './harness-server.ts';

// The remote tasks panel in Chromium against a pretend host in the same page
// (remote-harness/tasks-harness.tsx): what the headless assist client cannot
// do yet (offer a file to the agent) and what no real host sends (markup in
// every string) is driven from here. session.e2e.ts runs the real thing.

let harness: Awaited<ReturnType<typeof startHarness>>;
test.beforeAll(async () => {
  harness = await startHarness();
});
test.afterAll(async () => {
  await harness?.stop();
});

interface HarnessWindow {
  sent: { type: string }[];
  received: Record<string, string>;
  hostSend(name: string, text: string): Promise<string>;
  feed(message: unknown): void;
}
const hostSend = (page: Page, name: string, text: string) =>
  page.evaluate(([n, t]) => (window as unknown as HarnessWindow).hostSend(n, t), [name, text] as const);
const feed = (page: Page, message: unknown) =>
  page.evaluate((m) => (window as unknown as HarnessWindow).feed(m), message);
const sentTypes = (page: Page) =>
  page.evaluate(() => (window as unknown as HarnessWindow).sent.map((m) => m.type));

const MARKUP = '<img src=x onerror=alert(1)>';

test('files both ways, system information and the monitor; remote strings stay text', async ({
  page,
}, info) => {
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.setViewportSize({ width: 420, height: 1100 });
  await page.goto(`${harness.url}tasks.html`);
  const panel = page.getByRole('complementary', { name: 'Remote tasks' });
  await expect(panel).toBeVisible();

  // A file from the host waits for Accept, shows its name as text, then saves from a Blob.
  const first = hostSend(page, `${MARKUP}notes.txt`, 'from the host');
  const offer = panel.locator('[data-transfer-state="asking"]');
  await expect(offer).toContainText(`${MARKUP}notes.txt`);
  await expect(offer).toContainText('The remote computer offers this file (13 byte).');
  await offer.getByRole('button', { name: 'Accept' }).click();
  expect(await first).toBe('delivered');
  const done = panel.locator('[data-transfer-state="done"]');
  await expect(done).toContainText('Received (13 byte)');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    done.getByRole('link', { name: 'Save' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('_img src=x onerror=alert(1)_notes.txt');
  expect(readFileSync(await download.path(), 'utf8')).toBe('from the host');

  // Declined by the agent: the host hears why.
  const second = hostSend(page, 'second.bin', 'x');
  await panel.locator('[data-transfer-state="asking"]').getByRole('button', { name: 'Decline' }).click();
  expect(await second).toBe('declined by the agent');
  await expect(panel.getByText('Declined: declined by the agent')).toBeVisible();

  // A file dropped on the panel reaches the host, with a progress bar on the way.
  const content = 'x'.repeat(300_000);
  const files = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'to-host.txt', { type: 'text/plain' }));
    return dt;
  }, content);
  const zone = panel.getByTestId('drop-zone');
  await zone.dispatchEvent('dragenter', { dataTransfer: files });
  await zone.dispatchEvent('drop', { dataTransfer: files });
  await expect(panel.locator('.transfer').filter({ hasText: 'to-host.txt' })).toContainText(
    'Delivered (300 kB)',
  );
  expect(
    await page.evaluate(() => (window as unknown as HarnessWindow).received['to-host.txt']?.length),
  ).toBe(300_000);

  // System information: every string is the host's, and stays text.
  await panel.getByRole('button', { name: 'Read system information' }).click();
  await expect(panel.getByRole('button', { name: 'Reading…' })).toBeDisabled();
  await feed(page, {
    type: 'sysinfo_snapshot',
    info: {
      os: {
        platform: 'linux',
        distro: `${MARKUP}Debian`,
        release: '12',
        arch: 'x64',
        hostname: `<b>pc</b>${MARKUP}`,
      },
      cpu: { manufacturer: 'AMD', brand: `<i>EPYC</i>`, cores: 8, physicalCores: 4, speedGHz: 3.1 },
      memory: { totalBytes: 16e9 },
      disks: [{ device: `/dev/${MARKUP}`, mount: '/', type: 'ext4', sizeBytes: 5e11 }],
      network: [{ iface: `eth0${MARKUP}`, ip4: '10.0.0.2', ip6: '', mac: '02:00:00:00:00:01' }],
    },
  });
  const sysinfo = panel.getByTestId('sysinfo');
  await expect(sysinfo.getByText(`<b>pc</b>${MARKUP}`, { exact: true })).toBeVisible();
  await expect(sysinfo.getByRole('cell', { name: `/dev/${MARKUP}` })).toBeVisible();
  await expect(sysinfo.getByRole('cell', { name: `eth0${MARKUP}` })).toBeVisible();
  await expect(sysinfo).toContainText('8 cores (4 physical), 3.1 GHz');
  await expect(sysinfo).toContainText('16 GB');

  // The monitor: current values and a minute of history as lines.
  await panel.getByRole('button', { name: 'Start monitoring' }).click();
  await expect(panel.getByText('Waiting for the first sample…')).toBeVisible();
  for (let i = 0; i < 12; i++)
    await feed(page, {
      type: 'monitor_sample',
      at: new Date(Date.now() + i * 1000).toISOString(),
      cpuPercent: 20 + ((i * 37) % 60),
      memUsedBytes: 4e9 + i * 1e8,
      memTotalBytes: 16e9,
      disks: [{ mount: `/${MARKUP}`, usedBytes: 2e11, sizeBytes: 5e11 }],
    });
  await expect(panel.getByTestId('cpu')).toHaveText(`${20 + ((11 * 37) % 60)} %`);
  await expect(panel.getByTestId('ram')).toHaveText('5.1 GB of 16 GB (32 %)');
  await expect(panel.getByText(`Storage /${MARKUP}`)).toBeVisible();
  const points = await panel.locator('.meter polyline').first().getAttribute('points');
  expect(points?.split(' ')).toHaveLength(12);
  await panel.getByRole('button', { name: 'Stop monitoring' }).click();
  expect(await sentTypes(page)).toEqual(['sysinfo_request', 'monitor_start', 'monitor_stop']);

  await page.screenshot({ path: info.outputPath('tasks-panel.png'), fullPage: true });
  expect(await page.locator('img, b, i').count()).toBe(0);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
});
