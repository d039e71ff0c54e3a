import type { BrowserContext, Locator, Page } from '@playwright/test';

/** Where the remote picture sits inside the video element (fit mode: object-fit contain). */
export interface VideoGeometry {
  /** The element's box in the page. */
  left: number;
  top: number;
  /** The picture's offset inside the element, and its scale. */
  offsetX: number;
  offsetY: number;
  scale: number;
  frame: { width: number; height: number };
}

export async function videoGeometry(video: Locator): Promise<VideoGeometry> {
  const g = await video.evaluate((v: HTMLVideoElement) => {
    const r = v.getBoundingClientRect();
    return {
      left: r.left,
      top: r.top,
      width: r.width,
      height: r.height,
      vw: v.videoWidth,
      vh: v.videoHeight,
    };
  });
  // The letterbox by definition: the whole frame, as large as fits, centred.
  const scale = Math.min(g.width / g.vw, g.height / g.vh);
  return {
    left: g.left,
    top: g.top,
    offsetX: (g.width - g.vw * scale) / 2,
    offsetY: (g.height - g.vh * scale) / 2,
    scale,
    frame: { width: g.vw, height: g.vh },
  };
}

/** A point of the remote screen → where it is inside the element, and in the page. */
export function mapPoint(g: VideoGeometry, x: number, y: number) {
  const inElement = { x: g.offsetX + x * g.scale, y: g.offsetY + y * g.scale };
  return { inElement, inPage: { x: g.left + inElement.x, y: g.top + inElement.y } };
}

/**
 * The colour of one pixel of a PNG, decoded by Chromium in a blank page (the
 * console's own page keeps a strict content policy, and Node has no decoder).
 */
export async function pixelOf(context: BrowserContext, png: Buffer, x: number, y: number): Promise<number[]> {
  const blank: Page = await context.newPage();
  try {
    return await blank.evaluate(
      async ({ b64, px, py }) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(image.width, image.height);
        const g = canvas.getContext('2d');
        if (!g) throw new Error('no 2d context');
        g.drawImage(image, 0, 0);
        return [...g.getImageData(Math.round(px), Math.round(py), 1, 1).data].slice(0, 3);
      },
      { b64: png.toString('base64'), px: x, py: y },
    );
  } finally {
    await blank.close();
  }
}

export function hexToRgb(hex: string): number[] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}

/** Video is lossy: a colour matches within a tolerance per channel. */
export function near(a: readonly number[], b: readonly number[], tolerance = 40): boolean {
  return a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tolerance);
}

/** Records each status a request's row shows, in order, from now on (read from `window.statusLog`). */
export async function recordRowStatuses(page: Page, requestId: string): Promise<void> {
  await page.evaluate((id) => {
    const seen: string[] = [];
    (window as unknown as { statusLog: string[] }).statusLog = seen;
    const read = () => {
      const s = document
        .querySelector(`[data-request-id="${id}"] [data-status]`)
        ?.getAttribute('data-status');
      if (s && seen.at(-1) !== s) seen.push(s);
    };
    read();
    new MutationObserver(read).observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['data-status'],
    });
  }, requestId);
}

export const rowStatuses = (page: Page) =>
  page.evaluate(() => (window as unknown as { statusLog: string[] }).statusLog.slice());
