import { expect, test, type WebSocketRoute } from '@playwright/test';
import { startBroker, type TestBroker } from '@beckon/broker/testing';
import { newPage, row, signIn as signInAt } from './console-helpers.ts';

// SC5 notifications and the Connect seam, against a real broker.
test.describe.configure({ mode: 'serial' });

let broker: TestBroker;

test.beforeAll(async () => {
  broker = await startBroker();
});

test.afterAll(async () => {
  await broker?.stop();
});

const signIn = (page: Parameters<typeof signInAt>[0]) => signInAt(page, broker.url);

test('notifications are switched on from settings, with the browser asking first', async ({ browser }) => {
  const { context, page, errors } = await newPage(browser);
  await context.grantPermissions(['notifications'], { origin: broker.url });
  // Records what the console shows; the real notification still goes to the browser.
  await page.addInitScript(() => {
    const shown: { title: string; body: string | undefined }[] = [];
    (window as unknown as { shown: typeof shown }).shown = shown;
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push({ title, body: options?.body });
      }
    } as typeof Notification;
  });
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Desktop notification when a user of one of my requests is waiting').check();
  await page.getByRole('button', { name: 'Show a test notification' }).click();
  const shown = await page.evaluate(() => (window as unknown as { shown: unknown[] }).shown);
  expect(shown).toEqual([
    { title: 'Beckon notifications work', body: 'You will be told when a user is waiting.' },
  ]);
  await page.reload();
  await expect(
    page.getByLabel('Desktop notification when a user of one of my requests is waiting'),
  ).toBeChecked();
  expect(errors).toEqual([]);
  await context.close();
});

test('a user arriving is announced; Connect asks the broker, which has the last word', async ({
  browser,
}) => {
  const { context, page, errors } = await newPage(browser);
  await context.grantPermissions(['notifications'], { origin: broker.url });
  await page.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { shown: string[] }).shown = shown;
    const Real = window.Notification;
    window.Notification = class extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(title);
      }
    } as typeof Notification;
  });
  // A `waiting` frame the broker never sent is added to the real live channel
  // (which otherwise passes through untouched): the list and the notification
  // follow it, but Connect asks the broker itself, which knows better.
  // (session.e2e.ts covers the real arrival of a real assist client.)
  let live: WebSocketRoute | undefined;
  await page.routeWebSocket(/\/api\/v1\/live$/, (ws) => {
    ws.connectToServer();
    live = ws;
  });
  await signIn(page);
  await page.getByRole('link', { name: 'Settings' }).click();
  await page.getByLabel('Desktop notification when a user of one of my requests is waiting').check();
  await page.getByRole('link', { name: 'Session requests' }).click();
  const created = await broker.api.createRequest({ recipientName: 'Erin Arriving' });
  await expect(row(page, 'Erin Arriving').getByText('Open')).toBeVisible();
  await expect(row(page, 'Erin Arriving').getByRole('button', { name: 'Connect' })).toBeDisabled();

  const waiting = { ...created, status: 'waiting', updatedAt: new Date(Date.now() + 1000).toISOString() };
  live?.send(JSON.stringify({ type: 'request_changed', change: 'status', request: waiting }));
  await expect(row(page, 'Erin Arriving').getByText('Waiting')).toBeVisible();
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { shown: string[] }).shown))
    .toEqual(['Erin Arriving is waiting']);
  await row(page, 'Erin Arriving').getByRole('button', { name: 'Connect' }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'This request cannot be connected now.' });
  await expect(banner).toBeVisible();
  await banner.getByRole('button', { name: 'Dismiss' }).click();
  await expect(banner).toBeHidden();
  expect(errors).toEqual([]);
  await context.close();
});
