/** What the recorders leave on `window`: page-clock stamps (ms since the epoch) per request id. */
export interface Recorded {
  benchReady: boolean;
  stamps: Record<'created' | 'closed', Record<string, number>>;
}

/**
 * Runs in the page (passed to `page.evaluate`, so it must be self-contained):
 * a MutationObserver stamps each row's first appearance and its first
 * `closed` status as soon as the DOM changes.
 */
export function INSTALL_RECORDERS(): void {
  const w = window as unknown as Recorded;
  const stamps: Recorded['stamps'] = { created: {}, closed: {} };
  w.stamps = stamps;
  const clock = () => performance.timeOrigin + performance.now();
  new MutationObserver(() => {
    const t = clock();
    document.querySelectorAll<HTMLElement>('[data-request-id]').forEach((row) => {
      const id = row.dataset.requestId ?? '';
      stamps.created[id] ??= t;
      if (stamps.closed[id] === undefined && row.querySelector('[data-status="closed"]'))
        stamps.closed[id] = t;
    });
  }).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['data-status', 'data-request-id'],
  });
  // The console's own socket is up once the page shows "Live"; this only says the observer is in place.
  w.benchReady = true;
}
