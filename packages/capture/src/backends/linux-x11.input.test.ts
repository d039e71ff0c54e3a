import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DataChannelMessageSchema, parseWith, type Modifiers } from '@beckon/protocol';
import { pixelToNormalized } from '@beckon/protocol';
import { createInputDispatcher, selectBackend, type InputMessage } from '../index.ts';
import type { CaptureBackend } from '../types.ts';
import {
  pointerLocation,
  startProbeWindow,
  startXvfb,
  type ProbeWindow,
  type Xvfb,
} from '../testing/index.ts';

// Input on a real Xvfb: the pointer is checked with xdotool (another X client
// asking the server), clicks, wheel steps, keys and text with a Tk window that
// reports what it received.

const NONE: Modifiers = { shift: false, ctrl: false, alt: false, meta: false };
const SHIFT: Modifiers = { ...NONE, shift: true };
const WIN = { x: 200, y: 100, width: 400, height: 200 };

let xvfb: Xvfb;
let backend: CaptureBackend;
let probe: ProbeWindow;

before(async () => {
  xvfb = await startXvfb({ width: 1280, height: 720, args: ['-br'] });
  const selected = await selectBackend('linux', { display: xvfb.display });
  assert.ok(selected.ok, selected.ok ? '' : selected.error.message);
  backend = selected.backend;
  probe = await startProbeWindow({ display: xvfb.display, ...WIN, entry: true });
});

after(async () => {
  await probe?.close();
  await backend?.close();
});

const buttons = () => probe.events.filter((e) => e.event === 'button');
const clearEvents = () => (probe.events as unknown[]).splice(0);

/** Empties the entry: Control+/ selects all of it in Tk, Backspace deletes the selection. */
async function clearText(): Promise<void> {
  if ((await probe.waitForText('', 100)) === '') return;
  await tap('Slash', { ...NONE, ctrl: true });
  await tap('Backspace');
  assert.equal(await probe.waitForText(''), '');
}

async function tap(code: string, modifiers: Modifiers = NONE): Promise<void> {
  assert.equal(await backend.input.key(code, 'down', modifiers), true, code);
  assert.equal(await backend.input.key(code, 'up', modifiers), true, code);
}

describe('linux-x11 pointer', () => {
  it('moves the pointer to absolute pixels, corners included', async () => {
    for (const [x, y] of [
      [0, 0],
      [1279, 719],
      [640, 360],
      [17, 703],
    ] as const) {
      await backend.input.pointerMove(x, y);
      assert.deepEqual(await pointerLocation(xvfb.display), { x, y });
    }
  });

  it('maps normalized coordinates onto 1280x720', async () => {
    const cases: [number, number, number, number][] = [
      [0, 0, 0, 0],
      [1, 1, 1279, 719],
      [0.5, 0.5, 640, 360],
      [0.25, 0.75, 320, 540],
      [pixelToNormalized(639, 1280), pixelToNormalized(359, 720), 639, 359],
      [pixelToNormalized(1, 1280), pixelToNormalized(718, 720), 1, 718],
    ];
    for (const [nx, ny, x, y] of cases) {
      await backend.input.pointerMoveNormalized(nx, ny);
      assert.deepEqual(await pointerLocation(xvfb.display), { x, y }, `${nx}, ${ny}`);
    }
  });

  it('clamps pixels outside the display to its edge', async () => {
    await backend.input.pointerMove(5000, -20);
    assert.deepEqual(await pointerLocation(xvfb.display), { x: 1279, y: 0 });
  });

  it('clicks each button where the pointer is', async () => {
    clearEvents();
    await backend.input.pointerMove(WIN.x + 50, WIN.y + 40);
    for (const b of ['left', 'middle', 'right'] as const) {
      await backend.input.pointerButton(b, 'down');
      await backend.input.pointerButton(b, 'up');
    }
    await probe.waitFor((e) => e.event === 'button' && e.num === 3);
    assert.deepEqual(
      buttons().map((e) => [e.num, e.x, e.y]),
      [
        [1, WIN.x + 50, WIN.y + 40],
        [2, WIN.x + 50, WIN.y + 40],
        [3, WIN.x + 50, WIN.y + 40],
      ],
    );
  });

  it('scrolls in wheel steps: positive dy down, positive dx right, at most 50 per call', async () => {
    clearEvents();
    await backend.input.pointerMove(WIN.x + 60, WIN.y + 60);
    await backend.input.wheel(0, 2);
    await backend.input.wheel(0, -1);
    // Tk 8.6 reports X buttons 6 (left) and 7 (right) as Shift+Button-4 and Shift+Button-5.
    await backend.input.wheel(1, 0);
    await backend.input.wheel(-1, 0);
    await probe.waitFor((e) => e.event === 'button' && e.num === 4 && (e.state & 1) === 1);
    assert.deepEqual(
      buttons().map((e) => [e.num, e.state & 1]),
      [
        [5, 0],
        [5, 0],
        [4, 0],
        [5, 1],
        [4, 1],
      ],
    );
    clearEvents();
    await backend.input.wheel(0, 10_000);
    await probe.waitFor(() => buttons().length >= 50);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(buttons().length, 50);
  });
});

describe('linux-x11 keyboard', () => {
  beforeEach(async () => {
    await backend.input.pointerMove(WIN.x + 10, WIN.y + 10);
    await clearText();
  });

  it('presses keys by KeyboardEvent.code', async () => {
    for (const code of ['KeyH', 'KeyI', 'Digit4', 'Digit2', 'Space', 'Minus', 'Period', 'Slash'])
      await tap(code);
    assert.equal(await probe.waitForText('hi42 -./'), 'hi42 -./');
  });

  it('gives capitals and shifted symbols with Shift held', async () => {
    await backend.input.key('ShiftLeft', 'down', SHIFT);
    await tap('KeyA', SHIFT);
    await tap('Digit1', SHIFT);
    await backend.input.key('ShiftLeft', 'up', NONE);
    await tap('KeyA');
    assert.equal(await probe.waitForText('A!a'), 'A!a');
  });

  it('brings modifiers to the state a key message carries', async () => {
    // No ShiftLeft message at all: the modifiers field alone makes it a capital…
    await tap('KeyB', SHIFT);
    // …and a later key without Shift releases it, as if the key-up had been lost.
    await tap('KeyB', NONE);
    assert.equal(await probe.waitForText('Bb'), 'Bb');
    const shifted = probe.events.filter((e) => e.event === 'key' && e.keysym === 'B');
    assert.equal(shifted.length, 1);
  });

  it('edits with Backspace, arrows and Home', async () => {
    for (const code of ['KeyA', 'KeyB', 'KeyC', 'Backspace', 'ArrowLeft', 'KeyX', 'Home', 'KeyY'])
      await tap(code);
    assert.equal(await probe.waitForText('yaxb'), 'yaxb');
  });

  it('types numpad digits and operators', async () => {
    // Num Lock is off on a fresh Xvfb: turn it on, type, and turn it off again.
    await tap('NumLock');
    for (const code of ['Numpad7', 'NumpadAdd', 'Numpad0', 'NumpadMultiply', 'NumpadDecimal'])
      await tap(code);
    await tap('NumLock');
    assert.equal(await probe.waitForText('7+0*.'), '7+0*.');
  });

  it('knows which keys this keyboard has', () => {
    for (const code of [
      'KeyA',
      'F1',
      'F12',
      'ArrowUp',
      'Numpad5',
      'MetaLeft',
      'AltRight',
      'ContextMenu',
      'Quote',
    ]) {
      assert.equal(backend.input.supportsKey(code), true, code);
    }
    for (const code of ['NoSuchKey', 'Fn', '']) assert.equal(backend.input.supportsKey(code), false, code);
  });

  it('refuses an unknown code without touching the keyboard', async () => {
    assert.equal(await backend.input.key('FnLock', 'down', NONE), false);
    await tap('KeyQ');
    assert.equal(await probe.waitForText('q'), 'q');
  });

  it('types any text, including characters the layout lacks', async () => {
    const text = 'Hello, "World"! 100% <ok> é ü ß € 日本 ✓ 🙂';
    const result = await backend.input.typeText(text);
    assert.deepEqual(result, { typed: [...text].length, skipped: 0 });
    assert.equal(await probe.waitForText(text), text);
  });

  it('types more distinct foreign characters than there are spare keycodes', async () => {
    const text = Array.from({ length: 60 }, (_, i) => String.fromCodePoint(0x4e00 + i * 7)).join('');
    const result = await backend.input.typeText(text);
    assert.deepEqual(result, { typed: 60, skipped: 0 });
    assert.equal(await probe.waitForText(text), text);
  });

  it('types text as given even while Shift is held, and holds it again after', async () => {
    await backend.input.key('ShiftLeft', 'down', SHIFT);
    await backend.input.typeText('ab');
    await tap('KeyC', SHIFT);
    await backend.input.key('ShiftLeft', 'up', NONE);
    assert.equal(await probe.waitForText('abC'), 'abC');
  });

  it('releases everything it holds', async () => {
    await backend.input.key('ShiftLeft', 'down', SHIFT);
    await backend.input.key('ControlLeft', 'down', { ...SHIFT, ctrl: true });
    await backend.input.releaseAll();
    await tap('KeyD');
    assert.equal(await probe.waitForText('d'), 'd');
  });
});

describe('data-channel messages', () => {
  const parse = (m: unknown) => {
    const r = parseWith(DataChannelMessageSchema, m);
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    return r.value as InputMessage;
  };

  it('applies parsed protocol messages in order', async () => {
    await backend.input.pointerMove(WIN.x + 10, WIN.y + 10);
    await clearText();
    clearEvents();
    const errors: unknown[] = [];
    const dispatcher = createInputDispatcher(backend.input, { onError: (e) => errors.push(e) });
    const nx = pixelToNormalized(WIN.x + 123, 1280);
    const ny = pixelToNormalized(WIN.y + 45, 720);
    await dispatcher.dispatch(parse({ type: 'pointer_move', x: nx, y: ny }));
    assert.deepEqual(await pointerLocation(xvfb.display), { x: WIN.x + 123, y: WIN.y + 45 });
    const messages = [
      { type: 'pointer_button', button: 'left', action: 'down', x: nx, y: ny },
      { type: 'pointer_button', button: 'left', action: 'up', x: nx, y: ny },
      { type: 'key', action: 'down', code: 'KeyZ', key: 'Z', modifiers: SHIFT },
      { type: 'key', action: 'up', code: 'KeyZ', key: 'Z', modifiers: SHIFT },
      { type: 'type_text', text: 'ürich' },
      { type: 'key', action: 'down', code: 'NotAKey', key: '?', modifiers: NONE },
    ];
    for (const m of messages) void dispatcher.dispatch(parse(m));
    await dispatcher.idle();
    assert.equal(await probe.waitForText('Zürich'), 'Zürich');
    assert.deepEqual(
      buttons().map((e) => [e.num, e.x, e.y]),
      [[1, WIN.x + 123, WIN.y + 45]],
    );
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /NotAKey/);
  });
});
