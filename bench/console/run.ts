import { chromium, type Page } from '@playwright/test';
import { performance } from 'node:perf_hooks';
import { CHROMIUM_FLAGS, CHROMIUM_PATH } from '../../testing/chromium.ts';
import { ADMIN, startBroker } from '@beckon/broker/testing';
import { percentile } from '../lib/server.ts';
import { fmt, printTable } from '../lib/table.ts';
import { INSTALL_RECORDERS, type Recorded } from './recorders.ts';

// bench/console: how fast the agent console (the agent desktop's renderer,
// served by a real broker) follows the broker, in Debian Chromium.
// - live update: a request is closed over REST; the time from sending that
//   call to its row showing `closed` in the page (a MutationObserver stamp).
//   Beside it, in the same run, the floor: when the same change's live frame
//   reaches a bare WebSocket client in this process (the broker's own push
//   latency, with no browser, parsing, store or React in it).
// - first render: a fresh page load with 10,000 requests in the broker, until
//   the first rows are in the DOM; then scrolling the whole list in.
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 200);
const WARMUP = 10;
const SEED = Number(process.env.BENCH_ROWS ?? 10_000);
const LOADS = 5;
const now = () => performance.timeOrigin + performance.now();
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const p = (xs: number[], q: number) => percentile(sorted(xs), q);

// With port 0 the broker's public URL (the console's Origin) takes the port it gets.
const broker = await startBroker();
const { url, token } = broker;
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: CHROMIUM_FLAGS,
  headless: !process.env.DISPLAY,
});

try {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const create = (name: string) =>
    call<{ id: string }>('POST', '/api/v1/session-requests', { recipientName: name });

  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await signIn(page);
  const offset = await clockOffset(page);
  await page.evaluate(INSTALL_RECORDERS);
  await page.waitForFunction(() => (window as unknown as Recorded).benchReady === true);
  const frames = await bareLiveClient(`${url.replace(/^http/, 'ws')}/api/v1/live`, token);

  // ---- live updates ----
  const rowMs: number[] = [];
  const frameMs: number[] = [];
  const appearMs: number[] = [];
  const answerMs: number[] = [];
  console.log(`console: ${SAMPLES} live updates (after ${WARMUP} warm-up), Chromium ${browser.version()}`);
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const created = now();
    const { id } = await create(`Live ${i}`);
    const appeared = await stamp(page, 'created', id);
    await new Promise((r) => setTimeout(r, 5 + Math.random() * 10));
    const sent = now();
    await call('POST', `/api/v1/session-requests/${id}/close`);
    const answered = now();
    const row = await stamp(page, 'closed', id);
    const frame = await frames.closed(id);
    if (i < WARMUP) continue;
    appearMs.push(appeared - offset - created);
    rowMs.push(row - offset - sent);
    frameMs.push(frame - sent);
    answerMs.push(answered - sent);
  }

  frames.close();

  // ---- first render of a long list ----
  console.log(`seeding ${SEED.toLocaleString('en')} requests…`);
  const seedStart = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 24 }, async () => {
      while (next < SEED) await create(`Bulk ${String(next++).padStart(5, '0')}`);
    }),
  );
  console.log(`  seeded in ${fmt((now() - seedStart) / 1000)} s`);
  const firstRows: number[] = [];
  const firstCounts: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    const fresh = await context.newPage();
    await fresh.addInitScript(() => {
      const w = window as unknown as { firstRowAt?: number };
      new MutationObserver((_, observer) => {
        if (document.querySelector('[data-request-id]')) {
          w.firstRowAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, childList: true });
    });
    await fresh.goto(`${url}/console/`);
    await fresh.waitForFunction(
      () => (window as unknown as { firstRowAt?: number }).firstRowAt !== undefined,
    );
    firstRows.push(await fresh.evaluate(() => (window as unknown as { firstRowAt: number }).firstRowAt));
    firstCounts.push(await fresh.locator('[data-request-id]').count());
    if (i < LOADS - 1) await fresh.close();
    else await scrollAll(fresh, firstRows);
  }
  printTable(
    'Agent console in Chromium against a real broker (same run, same machine)',
    ['measure', 'console p50 ms', 'console p99 ms', 'floor p50 ms', 'floor p99 ms', 'target'],
    [
      [
        'status change → row shows it',
        fmt(p(rowMs, 50)),
        fmt(p(rowMs, 99)),
        fmt(p(frameMs, 50)),
        fmt(p(frameMs, 99)),
        'p99 ≤ 100',
      ],
      ['create → row appears', fmt(p(appearMs, 50)), fmt(p(appearMs, 99)), '', '', ''],
      ['REST close answered (for scale)', fmt(p(answerMs, 50)), fmt(p(answerMs, 99)), '', '', ''],
      [
        `first render, ${SEED.toLocaleString('en')} requests`,
        fmt(p(firstRows, 50)),
        fmt(Math.max(...firstRows)),
        '',
        '',
        '≤ 1000',
      ],
    ],
  );
  console.log(
    `\nLive: from sending POST …/close to the row's data-status changing (MutationObserver), clocks aligned` +
      ` (offset ${fmt(offset, 2)} ms). Floor: the same change's live frame reaching a bare WebSocket` +
      ` client outside the browser. First render: navigation start → first row in the DOM (${firstCounts[0]} rows` +
      ` rendered of the first page); p99 column is the worst of ${LOADS} loads.`,
  );
} finally {
  await browser.close();
  await broker.stop();
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${url}/console/`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(ADMIN.email);
  await form.getByLabel('Password').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('live-status').filter({ hasText: 'Live' }).waitFor();
}

/** Page clock − Node clock, from the round trips with the smallest spread. */
async function clockOffset(page: Page): Promise<number> {
  const trips: { spread: number; offset: number }[] = [];
  for (let i = 0; i < 20; i++) {
    const before = now();
    const there = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = now();
    trips.push({ spread: after - before, offset: there - (before + after) / 2 });
  }
  trips.sort((a, b) => a.spread - b.spread);
  return trips[0]?.offset ?? 0;
}

/** When the page saw `what` for a request (page clock). */
async function stamp(page: Page, what: 'created' | 'closed', id: string): Promise<number> {
  const handle = await page.waitForFunction(
    ([kind, key]) => (window as unknown as Recorded).stamps[kind]?.[key] ?? false,
    [what, id] as const,
    { timeout: 10_000 },
  );
  return (await handle.jsonValue()) as number;
}

/** A bare live-channel client (the desktop app's bearer subprotocol): when each `closed` frame arrives. */
async function bareLiveClient(liveUrl: string, bearer: string) {
  const arrived = new Map<string, number>();
  const waiters = new Map<string, (t: number) => void>();
  const ws = new WebSocket(liveUrl, ['beckon.v1', `bearer.${bearer}`]);
  await new Promise<void>((resolve, reject) => {
    ws.onmessage = (e: MessageEvent) => {
      const t = now();
      const m = JSON.parse(String(e.data)) as { type: string; request?: { id: string; status: string } };
      if (m.type === 'hello') resolve();
      if (m.type !== 'request_changed' || m.request?.status !== 'closed' || arrived.has(m.request.id)) return;
      arrived.set(m.request.id, t);
      waiters.get(m.request.id)?.(t);
    };
    ws.onerror = () => reject(new Error('live channel refused the bench client'));
  });
  return {
    closed: (id: string) =>
      new Promise<number>((resolve) => {
        const t = arrived.get(id);
        if (t !== undefined) resolve(t);
        else waiters.set(id, resolve);
      }),
    close: () => ws.close(),
  };
}

/** Scrolls to the end until every request is loaded; reports the time and the rows in the DOM. */
async function scrollAll(page: Page, firstRows: number[]): Promise<void> {
  const count = page.getByTestId('list-count');
  const start = now();
  for (let i = 0; i < 200; i++) {
    if (/^[\d,]+ loaded$/.test((await count.textContent()) ?? '')) break;
    const before = await count.textContent();
    await page.getByTestId('request-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(
      (b) => document.querySelector('[data-testid="list-count"]')?.textContent !== b,
      before,
      { timeout: 15_000 },
    );
  }
  const loaded = (await count.textContent()) ?? '';
  // A jump to the middle: how long until the rows there are drawn.
  const jump = await page.getByTestId('request-scroll').evaluate(
    (el) =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        el.scrollTop = el.scrollHeight / 2;
        requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - t0)));
      }),
  );
  const inDom = await page.locator('[data-request-id]').count();
  console.log(
    `  first rows after ${firstRows.map((x) => fmt(x, 0)).join(', ')} ms; all loaded by scrolling in` +
      ` ${fmt((now() - start) / 1000)} s (${loaded}); jump to the middle drawn in ${fmt(jump)} ms;` +
      ` ${inDom} rows in the DOM`,
  );
}
