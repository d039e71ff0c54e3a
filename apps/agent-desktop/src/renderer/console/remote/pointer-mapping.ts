import { offsetToNormalized, type DataChannelMessage } from '@beckon/protocol';

/**
 * From a pointer on the agent's screen to a normalized point on the remote
 * screen (the protocol's convention, `pointer-coords.ts`), through the remote
 * view's scaling:
 * - `fit`: the whole picture, scaled to fit the viewport and centred, with bars
 *   above and below (letterbox) or left and right (pillarbox);
 * - `actual`: one remote pixel per CSS pixel, centred when smaller than the
 *   viewport, scrollable when larger.
 * A point on a bar, outside the picture, maps to null: nothing is sent.
 */
export type ScaleMode = 'fit' | 'actual';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface ViewGeometry {
  readonly mode: ScaleMode;
  /** The visible box of the viewport (without scrollbars). */
  readonly viewport: Size;
  /** The viewport's scroll offsets (only `actual` scrolls). */
  readonly scroll: { readonly left: number; readonly top: number };
  /** The remote frame's intrinsic size (videoWidth / videoHeight). */
  readonly frame: Size;
}

export interface Rect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** Where the picture is drawn, in the viewport's content coordinates. */
export function pictureRect(g: ViewGeometry): Rect | null {
  const { frame, viewport } = g;
  if (frame.width <= 0 || frame.height <= 0 || viewport.width <= 0 || viewport.height <= 0) return null;
  const scale = g.mode === 'fit' ? Math.min(viewport.width / frame.width, viewport.height / frame.height) : 1;
  const width = frame.width * scale;
  const height = frame.height * scale;
  return {
    left: Math.max(0, (viewport.width - width) / 2),
    top: Math.max(0, (viewport.height - height) / 2),
    width,
    height,
  };
}

/** `point` is relative to the viewport's visible top-left corner. */
export function toRemote(point: { x: number; y: number }, g: ViewGeometry): { x: number; y: number } | null {
  const picture = pictureRect(g);
  if (!picture) return null;
  // Only `actual` scrolls; in `fit` the content is exactly the viewport.
  const scrollX = g.mode === 'actual' ? g.scroll.left : 0;
  const scrollY = g.mode === 'actual' ? g.scroll.top : 0;
  const x = offsetToNormalized(point.x + scrollX - picture.left, picture.width);
  const y = offsetToNormalized(point.y + scrollY - picture.top, picture.height);
  return x === null || y === null ? null : { x, y };
}

/** DOM `MouseEvent.button` → the protocol's button; back/forward buttons are not sent. */
export function buttonName(button: number): 'left' | 'middle' | 'right' | null {
  return button === 0 ? 'left' : button === 1 ? 'middle' : button === 2 ? 'right' : null;
}

const LINE_PX = 40;
const PAGE_PX = 800;
const WHEEL_LIMIT = 10_000;

/**
 * A wheel event as whole pixels (lines and pages converted), within the
 * protocol's bounds; null when nothing moves.
 */
export function wheelMessage(e: {
  deltaX: number;
  deltaY: number;
  deltaMode: number;
}): Extract<DataChannelMessage, { type: 'pointer_wheel' }> | null {
  const unit = e.deltaMode === 1 ? LINE_PX : e.deltaMode === 2 ? PAGE_PX : 1;
  const clamp = (v: number) => Math.max(-WHEEL_LIMIT, Math.min(WHEEL_LIMIT, Math.round(v * unit)));
  const dx = clamp(e.deltaX);
  const dy = clamp(e.deltaY);
  if (dx === 0 && dy === 0) return null;
  return { type: 'pointer_wheel', dx: dx || 0, dy: dy || 0 };
}
