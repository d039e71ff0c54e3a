import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from '../../../testing/axe.ts';
import { startHarness } from './harness-server.ts';

// The RemoteView in Chromium, fed a 1600x900 canvas stream: the CSS layout
// (object-fit letterbox, 1:1 with scrolling) must be the geometry the pointer
// mapping assumes, and pointer, wheel and keys must leave as protocol messages.
interface Sent {
  type: string;
  x?: number;
  y?: number;
  button?: string;
  action?: string;
  code?: string;
  dx?: number;
  dy?: number;
  text?: string;
  modifiers?: { ctrl: boolean; alt: boolean };
}

let harness: Awaited<ReturnType<typeof startHarness>>;
let url: string;

test.beforeAll(async () => {
  harness = await startHarness();
  url = harness.url;
});

test.afterAll(async () => {
  await harness?.stop();
});

const sent = (page: Page) => page.evaluate(() => (window as unknown as { sent: Sent[] }).sent.slice());
const clear = (page: Page) =>
  page.evaluate(() => void ((window as unknown as { sent: Sent[] }).sent.length = 0));

async function open(page: Page) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.setViewportSize({ width: 1200, height: 900 });
  await page.goto(url);
  const video = page.locator('.remote-viewport video');
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.videoWidth), { timeout: 15_000 })
    .toBe(1600);
  return { errors, video, viewport: page.locator('.remote-viewport') };
}

test('fit mode: letterboxed picture, bars send nothing', async ({ page }, info) => {
  const { errors, viewport } = await open(page);
  const box = await viewport.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return {
      left: r.left + el.clientLeft,
      top: r.top + el.clientTop,
      width: el.clientWidth,
      height: el.clientHeight,
    };
  });
  // The letterbox, by definition: the whole 16:9 frame, as large as fits, centred.
  const scale = Math.min(box.width / 1600, box.height / 900);
  const pic = { w: 1600 * scale, h: 900 * scale };
  const top = box.top + (box.height - pic.h) / 2;
  const left = box.left + (box.width - pic.w) / 2;
  expect(box.height - pic.h).toBeGreaterThan(20); // there are bars to test

  await page.mouse.move(left + pic.w / 2, top + 3);
  await page.mouse.move(left + pic.w / 2, top - 5); // on the bar
  await page.mouse.click(left + pic.w / 2, top + pic.h / 2);
  await page.mouse.move(left + pic.w * 0.25, top + pic.h * 0.75);
  const out = await sent(page);
  const moves = out.filter((m) => m.type === 'pointer_move');
  expect(moves.length).toBeGreaterThanOrEqual(2);
  for (const m of moves) expect(m.y).toBeGreaterThanOrEqual(0);
  const clicks = out.filter((m) => m.type === 'pointer_button');
  expect(clicks.map((m) => `${m.button}:${m.action}`)).toEqual(['left:down', 'left:up']);
  expect(clicks[0]?.x).toBeCloseTo(0.5, 2);
  expect(clicks[0]?.y).toBeCloseTo(0.5, 2);
  const last = moves[moves.length - 1];
  expect(last?.x).toBeCloseTo(0.25, 2);
  expect(last?.y).toBeCloseTo(0.75, 2);
  // Just inside the top edge of the picture: just below 0.
  expect(moves[0]?.y).toBeCloseTo(3 / pic.h, 3);
  expect(moves[0]?.x).toBeCloseTo(0.5, 2);

  await page.mouse.click(left + pic.w / 2, top - 8); // click on the bar
  await page.mouse.click(left + 10, top + 10, { button: 'right' });
  const later = (await sent(page)).slice(out.length).filter((m) => m.type === 'pointer_button');
  expect(later.map((m) => `${m.button}:${m.action}`)).toEqual(['right:down', 'right:up']);

  await clear(page);
  await page.mouse.move(left + pic.w / 2, top + pic.h / 2);
  await page.mouse.wheel(0, 120);
  await expect
    .poll(async () => (await sent(page)).find((m) => m.type === 'pointer_wheel'))
    .toMatchObject({ dx: 0, dy: 120 });
  await page.screenshot({ path: info.outputPath('remote-fit.png') });
  await expectAccessible(page, 'the remote view');
  expect(errors).toEqual([]);
});

test('1:1 mode: the picture scrolls and clicks land where it is drawn', async ({ page }, info) => {
  const { errors, viewport, video } = await open(page);
  await page.getByRole('button', { name: 'Actual size' }).click();
  await expect(page.getByRole('button', { name: 'Fit to window' })).toBeVisible();
  await viewport.evaluate((el) => el.scrollTo(400, 150));
  await clear(page);
  const rect = await video.evaluate(
    (v) => v.getBoundingClientRect().toJSON() as { left: number; top: number; width: number },
  );
  expect(rect.width).toBe(1600);
  const box = await viewport.boundingBox();
  if (!box) throw new Error('no viewport');
  const point = { x: box.x + 200, y: box.y + 100 };
  await page.mouse.click(point.x, point.y);
  const [down] = (await sent(page)).filter((m) => m.type === 'pointer_button');
  expect(down?.x).toBeCloseTo((point.x - rect.left) / 1600, 3);
  expect(down?.y).toBeCloseTo((point.y - rect.top) / 900, 3);
  await page.screenshot({ path: info.outputPath('remote-actual.png') });
  expect(errors).toEqual([]);
});

test('keys, key combinations, clipboard, view-only and end', async ({ page, context }) => {
  const { errors, viewport } = await open(page);
  await expect(page.getByText('Verification code: 4711')).toBeVisible();
  await expect(page.getByText('30 fps · 2480 kbit/s · RTT 23 ms · loss 0.3 % · relayed')).toBeVisible();
  await viewport.focus();
  await clear(page);
  await page.keyboard.press('Control+KeyC');
  await page.keyboard.press('Tab');
  const keys = (await sent(page)).filter((m) => m.type === 'key');
  expect(keys.map((k) => `${k.action}:${k.code}`)).toEqual([
    'down:ControlLeft',
    'down:KeyC',
    'up:KeyC',
    'up:ControlLeft',
    'down:Tab',
    'up:Tab',
  ]);
  expect(keys[1]?.modifiers?.ctrl).toBe(true);
  await expect(viewport).toBeFocused(); // Tab went to the remote side, not to the next button

  await clear(page);
  await page.getByLabel('Send keys').selectOption({ label: 'Ctrl+Alt+Del' });
  expect((await sent(page)).map((m) => `${m.action}:${m.code}`)).toEqual([
    'down:ControlLeft',
    'down:AltLeft',
    'down:Delete',
    'up:Delete',
    'up:AltLeft',
    'up:ControlLeft',
  ]);

  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate(() => navigator.clipboard.writeText('from the agent'));
  await clear(page);
  await page.getByRole('button', { name: 'Send clipboard' }).click();
  await expect(page.getByLabel('Text for the remote clipboard')).toHaveValue('from the agent');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  expect(await sent(page)).toEqual([{ type: 'clipboard', text: 'from the agent' }]);

  // View-only: a held key is released, and nothing more is sent.
  await viewport.focus();
  await page.keyboard.down('ShiftLeft');
  await clear(page);
  await page.getByRole('button', { name: 'View only' }).click();
  await expect(page.getByText('View only: your mouse and keyboard are not sent.')).toBeVisible();
  expect((await sent(page)).map((m) => `${m.action}:${m.code}`)).toEqual(['up:ShiftLeft']);
  await page.keyboard.up('ShiftLeft');
  await clear(page);
  const box = await viewport.boundingBox();
  if (box) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  await page.keyboard.press('KeyA');
  expect(await sent(page)).toEqual([]);
  await page.getByRole('button', { name: 'Take control' }).click();

  await page.getByRole('button', { name: 'End session' }).click();
  expect((await sent(page)).at(-1)).toEqual({ type: 'stop', reason: 'ended by agent' });
  expect(errors).toEqual([]);
});
