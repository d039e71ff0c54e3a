import assert from 'node:assert/strict';
import { it } from 'node:test';
import { KEY_CODES, keyDef, modifierOf } from './codes.ts';

const letters = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((l) => `Key${l}`);
const digits = [...'0123456789'].map((d) => `Digit${d}`);
const fKeys = Array.from({ length: 24 }, (_, i) => `F${i + 1}`);
const numpad = [
  ...[...'0123456789'].map((d) => `Numpad${d}`),
  'NumpadAdd',
  'NumpadSubtract',
  'NumpadMultiply',
  'NumpadDivide',
  'NumpadDecimal',
  'NumpadEnter',
  'NumpadEqual',
];
const editing = [
  'Backspace',
  'Delete',
  'Insert',
  'Home',
  'End',
  'PageUp',
  'PageDown',
  'Enter',
  'Tab',
  'Escape',
  'Space',
];
const arrows = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'];
const modifiers = [
  'ShiftLeft',
  'ShiftRight',
  'ControlLeft',
  'ControlRight',
  'AltLeft',
  'AltRight',
  'MetaLeft',
  'MetaRight',
];
const punctuation = [
  'Backquote',
  'Minus',
  'Equal',
  'BracketLeft',
  'BracketRight',
  'Backslash',
  'Semicolon',
  'Quote',
  'Comma',
  'Period',
  'Slash',
];

it('covers letters, digits, F-keys, arrows, editing, modifiers, numpad and punctuation', () => {
  for (const code of [
    ...letters,
    ...digits,
    ...fKeys,
    ...numpad,
    ...editing,
    ...arrows,
    ...modifiers,
    ...punctuation,
  ]) {
    assert.ok(keyDef(code), code);
  }
  assert.equal(keyDef('toString'), undefined, 'no prototype keys');
  assert.equal(keyDef('KeyÄ'), undefined);
});

it('gives every key a distinct evdev code, except aliases of the same key', () => {
  const aliases = new Set(['OSLeft', 'OSRight', 'NumpadClear']);
  const seen = new Map<number, string>();
  for (const [code, def] of Object.entries(KEY_CODES)) {
    if (aliases.has(code)) continue;
    assert.equal(seen.get(def.evdev), undefined, `${code} and ${seen.get(def.evdev)} share ${def.evdev}`);
    seen.set(def.evdev, code);
  }
  // Spot checks against linux/input-event-codes.h.
  assert.equal(keyDef('KeyA')?.evdev, 30);
  assert.equal(keyDef('Enter')?.evdev, 28);
  assert.equal(keyDef('MetaLeft')?.evdev, 125);
  assert.equal(keyDef('F13')?.evdev, 183);
  assert.equal(keyDef('NumpadEnter')?.evdev, 96);
});

it('names the libnut key for everything the Windows and macOS backends press', () => {
  for (const code of [
    ...letters,
    ...digits,
    ...fKeys.slice(0, 12),
    ...editing,
    ...arrows,
    ...modifiers,
    ...punctuation,
  ]) {
    assert.ok(keyDef(code)?.nut, code);
  }
  assert.equal(keyDef('KeyQ')?.nut, 'q');
  assert.equal(keyDef('Enter')?.nut, 'return');
  assert.equal(keyDef('NumpadEnter')?.nut, 'enter');
  assert.equal(keyDef('MetaLeft')?.nut, 'meta');
});

it('tells modifiers apart', () => {
  assert.equal(modifierOf('ShiftRight'), 'shift');
  assert.equal(modifierOf('ControlLeft'), 'ctrl');
  assert.equal(modifierOf('AltRight'), 'alt');
  assert.equal(modifierOf('OSLeft'), 'meta');
  assert.equal(modifierOf('KeyA'), undefined);
});
