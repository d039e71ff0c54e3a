// Where a pointer is on the data channel (`pointer_move`, `pointer_button`):
// normalized coordinates of the shared picture, 0 at its left (top) edge and 1
// at its right (bottom) edge, so pixel i of a display `size` pixels wide covers
// [i/size, (i+1)/size). The agent sends where its pointer is in the picture it
// shows, however that picture is scaled (`offsetToNormalized`); the host takes
// the pixel that point falls on (`normalizedToPixel`). So a click lands on the
// host pixel under the agent's pointer, and a pixel's centre
// (`pixelToNormalized`) round-trips to the same pixel.

/** The pixel a normalized coordinate falls on, clamped to the display (the host side). */
export function normalizedToPixel(n: number, size: number): number {
  if (!(n > 0)) return 0;
  // The epsilon absorbs float error such as (639 / 1280) * 1280 = 638.9999….
  return Math.min(size - 1, Math.floor(n * size + 1e-9));
}

/** The normalized coordinate of a pixel's centre. */
export function pixelToNormalized(pixel: number, size: number): number {
  return Math.min(1, Math.max(0, (pixel + 0.5) / size));
}

/**
 * The agent side: a point `offset` units into a picture drawn `extent` units
 * wide (CSS pixels, any scale) as a normalized coordinate; null off the
 * picture (nothing is sent for a point on the bars around it).
 */
export function offsetToNormalized(offset: number, extent: number): number | null {
  if (!(extent > 0)) return null;
  const n = offset / extent;
  return n >= 0 && n <= 1 ? n : null;
}
