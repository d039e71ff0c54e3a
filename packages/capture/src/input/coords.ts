// Normalized coordinates on the data channel: 0 is the left (top) edge of the
// display and 1 its right (bottom) edge, so pixel i covers [i/size, (i+1)/size).
// The agent sends the centre of the pixel it points at; the host floors. Both
// sides use these two functions, so a round trip lands on the same pixel.

/** The pixel a normalized coordinate falls on, clamped to the display. */
export function normalizedToPixel(n: number, size: number): number {
  if (!(n > 0)) return 0;
  // The epsilon absorbs float error such as (639 / 1280) * 1280 = 638.9999….
  return Math.min(size - 1, Math.floor(n * size + 1e-9));
}

/** The normalized coordinate of a pixel's centre. */
export function pixelToNormalized(pixel: number, size: number): number {
  return Math.min(1, Math.max(0, (pixel + 0.5) / size));
}
