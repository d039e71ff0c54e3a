import assert from 'node:assert/strict';
import { it } from 'node:test';
import { normalizedToPixel, offsetToNormalized, pixelToNormalized } from './pointer-coords.ts';

it('maps the edges and the middle of 1280x720', () => {
  assert.equal(normalizedToPixel(0, 1280), 0);
  assert.equal(normalizedToPixel(1, 1280), 1279);
  assert.equal(normalizedToPixel(0.5, 1280), 640);
  assert.equal(normalizedToPixel(1, 720), 719);
  assert.equal(normalizedToPixel(-0.1, 720), 0);
  assert.equal(normalizedToPixel(Number.NaN, 720), 0);
  assert.equal(normalizedToPixel(7, 720), 719);
});

it('round-trips every pixel of 1280 and 720 through the pixel centre', () => {
  for (const size of [1280, 720, 1920, 1080, 3]) {
    for (let p = 0; p < size; p++) assert.equal(normalizedToPixel(pixelToNormalized(p, size), size), p);
  }
});

it('lands a scaled-down view on the right pixel', () => {
  // The agent shows 1280 pixels in 640 CSS pixels: CSS pixel 320 of 640 is host pixel 640.
  assert.equal(normalizedToPixel(320 / 640, 1280), 640);
  assert.equal(normalizedToPixel(639 / 1280, 1280), 639);
});

it('takes the agent’s point in a picture of any scale, and nothing off it', () => {
  assert.equal(offsetToNormalized(320, 640), 0.5);
  assert.equal(normalizedToPixel(offsetToNormalized(320, 640) ?? -1, 1280), 640);
  assert.equal(offsetToNormalized(0, 640), 0);
  assert.equal(offsetToNormalized(640, 640), 1);
  assert.equal(offsetToNormalized(-0.5, 640), null);
  assert.equal(offsetToNormalized(640.5, 640), null);
  assert.equal(offsetToNormalized(10, 0), null);
});
