import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { ADMIN } from '@beckon/broker/testing';

/** The console tests' browser: English, a zone far from UTC, every error and dialog recorded. */
export const ZONE = 'Asia/Tokyo';

export async function newPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page; errors: string[]; dialogs: string[] }> {
  const context = await browser.newContext({
    locale: 'en-US',
    timezoneId: ZONE,
    viewport: { width: 1400, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { context, page, errors, dialogs };
}

export async function signIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/console/`);
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(ADMIN.email);
  await form.getByLabel('Password').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Session requests' })).toBeVisible();
  await expect(page.getByTestId('live-status')).toHaveText('Live');
}

export const rows = (page: Page) => page.getByRole('table', { name: 'Session requests' }).getByRole('row');
export const row = (page: Page, name: string) =>
  rows(page).filter({ has: page.getByRole('link', { name, exact: true }) });

/** `YYYY-MM-DDTHH:mm` in the test's browser zone, `hours` from now. */
export function wallIn(hours: number): string {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone: ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(Date.now() + hours * 3600_000));
  return parts.replace(' ', 'T');
}
