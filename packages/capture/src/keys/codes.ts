import type { Modifiers } from '@beckon/protocol';

// KeyboardEvent.code names a physical key. Each entry says how to press that
// key on each window system:
// - `evdev`: the Linux input scancode; X servers with the evdev keymap (Xorg,
//   Xvfb, Xwayland) use keycode = scancode + 8, so pressing it lets the host's
//   own layout choose the character, exactly like a plugged-in keyboard;
// - `keysym`: the X keysym the key carries on a US layout, used to find a
//   keycode on X servers whose keycodes are not evdev's (some VNC servers);
// - `nut`: libnut's key name (what nut-js's `Key` enum resolves to), for the
//   Windows and macOS backends.

export interface KeyDef {
  readonly evdev: number;
  readonly keysym: number;
  readonly nut?: string;
}

const table: Record<string, KeyDef> = {};
const add = (code: string, evdev: number, keysym: number, nut?: string) => {
  table[code] = nut === undefined ? { evdev, keysym } : { evdev, keysym, nut };
};

// Letters by row, as evdev numbers them.
const letterRows: [string, number][] = [
  ['qwertyuiop', 16],
  ['asdfghjkl', 30],
  ['zxcvbnm', 44],
];
for (const [letters, first] of letterRows) {
  [...letters].forEach((l, i) => add(`Key${l.toUpperCase()}`, first + i, l.charCodeAt(0), l));
}
for (let d = 1; d <= 9; d++) add(`Digit${d}`, 1 + d, 0x30 + d, String(d));
add('Digit0', 11, 0x30, '0');

const fEvdev = [59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 87, 88];
for (let f = 1; f <= 24; f++) {
  // libnut's F13-F24 names are missing from the binding nut-js 4.2.6 ships.
  add(`F${f}`, f <= 12 ? fEvdev[f - 1]! : 170 + f, 0xffbd + f, f <= 12 ? `f${f}` : undefined);
}

// Editing and navigation.
add('Escape', 1, 0xff1b, 'escape');
add('Backspace', 14, 0xff08, 'backspace');
add('Tab', 15, 0xff09, 'tab');
add('Enter', 28, 0xff0d, 'return');
add('Space', 57, 0x20, 'space');
add('Insert', 110, 0xff63, 'insert');
add('Delete', 111, 0xffff, 'delete');
add('Home', 102, 0xff50, 'home');
add('End', 107, 0xff57, 'end');
add('PageUp', 104, 0xff55, 'pageup');
add('PageDown', 109, 0xff56, 'pagedown');
add('ArrowUp', 103, 0xff52, 'up');
add('ArrowDown', 108, 0xff54, 'down');
add('ArrowLeft', 105, 0xff51, 'left');
add('ArrowRight', 106, 0xff53, 'right');
add('PrintScreen', 99, 0xff61, 'printscreen');
add('ScrollLock', 70, 0xff14, 'scroll_lock');
add('Pause', 119, 0xff13, 'pause');
add('ContextMenu', 127, 0xff67, 'menu');
add('Help', 138, 0xff6a);

// Modifiers and locks.
add('ShiftLeft', 42, 0xffe1, 'shift');
add('ShiftRight', 54, 0xffe2, 'right_shift');
add('ControlLeft', 29, 0xffe3, 'control');
add('ControlRight', 97, 0xffe4, 'right_control');
add('AltLeft', 56, 0xffe9, 'alt');
add('AltRight', 100, 0xffea, 'right_alt');
add('MetaLeft', 125, 0xffeb, 'meta');
add('MetaRight', 126, 0xffec, 'right_meta');
add('OSLeft', 125, 0xffeb, 'meta'); // older Firefox names for the Meta keys
add('OSRight', 126, 0xffec, 'right_meta');
add('CapsLock', 58, 0xffe5, 'caps_lock');
add('NumLock', 69, 0xff7f, 'num_lock');

// Punctuation (US positions).
add('Backquote', 41, 0x60, '`');
add('Minus', 12, 0x2d, '-');
add('Equal', 13, 0x3d, '=');
add('BracketLeft', 26, 0x5b, '[');
add('BracketRight', 27, 0x5d, ']');
add('Backslash', 43, 0x5c, '\\');
add('Semicolon', 39, 0x3b, ';');
add('Quote', 40, 0x27, "'");
add('Comma', 51, 0x2c, ',');
add('Period', 52, 0x2e, '.');
add('Slash', 53, 0x2f, '/');
add('IntlBackslash', 86, 0x3c); // the extra key left of Z on ISO keyboards
add('IntlRo', 89, 0x5f);
add('IntlYen', 124, 0xa5);

// Numeric keypad (keysyms with Num Lock on).
for (let d = 0; d <= 9; d++) {
  const evdev = [82, 79, 80, 81, 75, 76, 77, 71, 72, 73][d]!;
  add(`Numpad${d}`, evdev, 0xffb0 + d, `numpad_${d}`);
}
add('NumpadDecimal', 83, 0xffae, 'numpad_decimal');
add('NumpadAdd', 78, 0xffab, 'add');
add('NumpadSubtract', 74, 0xffad, 'subtract');
add('NumpadMultiply', 55, 0xffaa, 'multiply');
add('NumpadDivide', 98, 0xffaf, 'divide');
add('NumpadEnter', 96, 0xff8d, 'enter');
add('NumpadEqual', 117, 0xffbd, 'numpad_equal');
add('NumpadComma', 121, 0xffac);
add('NumpadClear', 69, 0xff0b, 'clear'); // Mac keypad "clear" sits where Num Lock is

// Media keys.
add('AudioVolumeMute', 113, 0x1008ff12, 'audio_mute');
add('AudioVolumeDown', 114, 0x1008ff11, 'audio_vol_down');
add('AudioVolumeUp', 115, 0x1008ff13, 'audio_vol_up');
add('MediaPlayPause', 164, 0x1008ff14, 'audio_play');
add('MediaStop', 166, 0x1008ff15, 'audio_stop');
add('MediaTrackPrevious', 165, 0x1008ff16, 'audio_prev');
add('MediaTrackNext', 163, 0x1008ff17, 'audio_next');

// East Asian input keys.
add('Convert', 92, 0xff23);
add('NonConvert', 94, 0xff22);
add('KanaMode', 93, 0xff27);
add('Lang1', 122, 0xff31);
add('Lang2', 123, 0xff34);

/** Every `KeyboardEvent.code` Beckon can press, with how to press it. */
export const KEY_CODES: Readonly<Record<string, KeyDef>> = table;

export function keyDef(code: string): KeyDef | undefined {
  return Object.hasOwn(KEY_CODES, code) ? KEY_CODES[code] : undefined;
}

export type ModifierName = keyof Modifiers;

/** The keys of each modifier; the first is pressed when the agent's state needs it. */
export const MODIFIER_KEYS: Readonly<Record<ModifierName, readonly string[]>> = {
  shift: ['ShiftLeft', 'ShiftRight'],
  ctrl: ['ControlLeft', 'ControlRight'],
  alt: ['AltLeft', 'AltRight'],
  meta: ['MetaLeft', 'MetaRight', 'OSLeft', 'OSRight'],
};

export const MODIFIER_NAMES: readonly ModifierName[] = ['shift', 'ctrl', 'alt', 'meta'];

/** Which modifier `code` is, if it is one. */
export function modifierOf(code: string): ModifierName | undefined {
  return MODIFIER_NAMES.find((m) => MODIFIER_KEYS[m].includes(code));
}
