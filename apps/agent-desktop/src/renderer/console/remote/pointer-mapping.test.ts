import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataChannelMessageSchema } from '@beckon/protocol';
import { buttonName, pictureRect, toRemote, wheelMessage, type ViewGeometry } from './pointer-mapping.ts';

const noScroll = { left: 0, top: 0 };
const fit = (viewport: [number, number], frame: [number, number]): ViewGeometry => ({
  mode: 'fit',
  viewport: { width: viewport[0], height: viewport[1] },
  frame: { width: frame[0], height: frame[1] },
  scroll: noScroll,
});
const close = (actual: { x: number; y: number } | null, x: number, y: number) => {
  assert.ok(actual, 'expected a point');
  assert.ok(Math.abs(actual.x - x) < 1e-9 && Math.abs(actual.y - y) < 1e-9, JSON.stringify(actual));
};

describe('fit: letterboxed (bars above and below)', () => {
  // A 1600x900 (16:9) frame in a 800x600 viewport: scale 0.5, picture 800x450 at top 75.
  const g = fit([800, 600], [1600, 900]);
  it('places the picture', () => {
    assert.deepEqual(pictureRect(g), { left: 0, top: 75, width: 800, height: 450 });
  });
  it('maps corners and centre', () => {
    close(toRemote({ x: 0, y: 75 }, g), 0, 0);
    close(toRemote({ x: 800, y: 525 }, g), 1, 1);
    close(toRemote({ x: 400, y: 300 }, g), 0.5, 0.5);
    close(toRemote({ x: 200, y: 187.5 }, g), 0.25, 0.25);
  });
  it('returns null on the bars', () => {
    assert.equal(toRemote({ x: 400, y: 74 }, g), null);
    assert.equal(toRemote({ x: 400, y: 526 }, g), null);
    assert.equal(toRemote({ x: -1, y: 300 }, g), null);
  });
  it('ignores scrolling, which fit mode has none of', () => {
    close(toRemote({ x: 400, y: 300 }, { ...g, scroll: { left: 50, top: 50 } }), 0.5, 0.5);
  });
});

describe('fit: pillarboxed (bars left and right)', () => {
  // A 1024x768 (4:3) frame in a 1200x600 viewport: scale 0.78125, picture 800x600 at left 200.
  const g = fit([1200, 600], [1024, 768]);
  it('places the picture', () => {
    assert.deepEqual(pictureRect(g), { left: 200, top: 0, width: 800, height: 600 });
  });
  it('maps inside and refuses the bars', () => {
    close(toRemote({ x: 200, y: 0 }, g), 0, 0);
    close(toRemote({ x: 600, y: 300 }, g), 0.5, 0.5);
    close(toRemote({ x: 1000, y: 600 }, g), 1, 1);
    assert.equal(toRemote({ x: 199, y: 300 }, g), null);
    assert.equal(toRemote({ x: 1001, y: 300 }, g), null);
  });
  it('scales up a small frame too', () => {
    const small = fit([1000, 1000], [100, 50]);
    assert.deepEqual(pictureRect(small), { left: 0, top: 250, width: 1000, height: 500 });
    close(toRemote({ x: 500, y: 500 }, small), 0.5, 0.5);
  });
});

describe('actual size (1:1)', () => {
  it('scrolls over a frame larger than the viewport', () => {
    const g: ViewGeometry = {
      mode: 'actual',
      viewport: { width: 800, height: 600 },
      frame: { width: 1920, height: 1080 },
      scroll: { left: 960, top: 240 },
    };
    assert.deepEqual(pictureRect(g), { left: 0, top: 0, width: 1920, height: 1080 });
    close(toRemote({ x: 0, y: 300 }, g), 0.5, 0.5);
    close(toRemote({ x: 800, y: 600 }, g), 1760 / 1920, 840 / 1080);
  });
  it('centres a frame smaller than the viewport, with bars around it', () => {
    const g: ViewGeometry = {
      mode: 'actual',
      viewport: { width: 1000, height: 800 },
      frame: { width: 800, height: 600 },
      scroll: noScroll,
    };
    close(toRemote({ x: 100, y: 100 }, g), 0, 0);
    close(toRemote({ x: 500, y: 400 }, g), 0.5, 0.5);
    assert.equal(toRemote({ x: 50, y: 400 }, g), null);
  });
});

describe('degenerate geometry', () => {
  it('maps nothing before the first frame or with an empty viewport', () => {
    assert.equal(toRemote({ x: 1, y: 1 }, fit([800, 600], [0, 0])), null);
    assert.equal(toRemote({ x: 0, y: 0 }, fit([0, 0], [800, 600])), null);
  });
});

describe('buttons and wheel', () => {
  it('names the three buttons only', () => {
    assert.deepEqual([0, 1, 2, 3, 4].map(buttonName), ['left', 'middle', 'right', null, null]);
  });
  it('converts lines and pages, clamps, and skips no-ops', () => {
    assert.deepEqual(wheelMessage({ deltaX: 0, deltaY: 3, deltaMode: 1 }), {
      type: 'pointer_wheel',
      dx: 0,
      dy: 120,
    });
    assert.deepEqual(wheelMessage({ deltaX: -12.6, deltaY: 0, deltaMode: 0 }), {
      type: 'pointer_wheel',
      dx: -13,
      dy: 0,
    });
    assert.deepEqual(wheelMessage({ deltaX: 0, deltaY: 1e9, deltaMode: 0 }), {
      type: 'pointer_wheel',
      dx: 0,
      dy: 10_000,
    });
    assert.equal(wheelMessage({ deltaX: 0.2, deltaY: -0.3, deltaMode: 0 }), null);
    const msg = wheelMessage({ deltaX: 1, deltaY: 1, deltaMode: 2 });
    assert.ok(DataChannelMessageSchema.safeParse(msg).success);
  });
});
