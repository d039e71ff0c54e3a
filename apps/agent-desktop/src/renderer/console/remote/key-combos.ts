import type { Modifiers } from '@beckon/protocol';
import type { MessageKey } from '../i18n/i18n.ts';
import type { KeyMessage } from './keyboard-mapping.ts';

/**
 * Key combinations the agent's own OS would catch before the browser sees them
 * (Ctrl+Alt+Del, Alt+Tab, the Windows key…), sent from a menu instead. Each is
 * pressed in order and released in reverse, with the modifier state a real
 * keyboard would report at every step.
 */
export interface KeyStroke {
  readonly code: string;
  readonly key: string;
}

export interface KeyCombo {
  readonly id: string;
  readonly label: MessageKey;
  readonly keys: readonly KeyStroke[];
}

const CTRL = { code: 'ControlLeft', key: 'Control' };
const ALT = { code: 'AltLeft', key: 'Alt' };
const SHIFT = { code: 'ShiftLeft', key: 'Shift' };
const META = { code: 'MetaLeft', key: 'Meta' };
const letter = (c: string) => ({ code: `Key${c.toUpperCase()}`, key: c });

export const KEY_COMBOS: readonly KeyCombo[] = [
  { id: 'ctrl-alt-del', label: 'combo.ctrlAltDel', keys: [CTRL, ALT, { code: 'Delete', key: 'Delete' }] },
  { id: 'alt-tab', label: 'combo.altTab', keys: [ALT, { code: 'Tab', key: 'Tab' }] },
  { id: 'alt-shift-tab', label: 'combo.altShiftTab', keys: [ALT, SHIFT, { code: 'Tab', key: 'Tab' }] },
  { id: 'alt-f4', label: 'combo.altF4', keys: [ALT, { code: 'F4', key: 'F4' }] },
  { id: 'meta', label: 'combo.meta', keys: [META] },
  { id: 'meta-l', label: 'combo.metaL', keys: [META, letter('l')] },
  { id: 'meta-d', label: 'combo.metaD', keys: [META, letter('d')] },
  { id: 'meta-r', label: 'combo.metaR', keys: [META, letter('r')] },
  { id: 'ctrl-esc', label: 'combo.ctrlEsc', keys: [CTRL, { code: 'Escape', key: 'Escape' }] },
  {
    id: 'ctrl-shift-esc',
    label: 'combo.ctrlShiftEsc',
    keys: [CTRL, SHIFT, { code: 'Escape', key: 'Escape' }],
  },
  { id: 'print-screen', label: 'combo.printScreen', keys: [{ code: 'PrintScreen', key: 'PrintScreen' }] },
  {
    id: 'alt-print-screen',
    label: 'combo.altPrintScreen',
    keys: [ALT, { code: 'PrintScreen', key: 'PrintScreen' }],
  },
];

function modifierOf(code: string): keyof Modifiers | null {
  if (code.startsWith('Control')) return 'ctrl';
  if (code.startsWith('Alt')) return 'alt';
  if (code.startsWith('Shift')) return 'shift';
  if (code.startsWith('Meta')) return 'meta';
  return null;
}

/** The key messages of a combination: all downs in order, then all ups in reverse. */
export function comboMessages(keys: readonly KeyStroke[]): KeyMessage[] {
  const state: Modifiers = { shift: false, ctrl: false, alt: false, meta: false };
  const out: KeyMessage[] = [];
  for (const k of keys) {
    const m = modifierOf(k.code);
    if (m) state[m] = true;
    out.push({ type: 'key', action: 'down', code: k.code, key: k.key, modifiers: { ...state } });
  }
  for (const k of [...keys].reverse()) {
    const m = modifierOf(k.code);
    if (m) state[m] = false;
    out.push({ type: 'key', action: 'up', code: k.code, key: k.key, modifiers: { ...state } });
  }
  return out;
}
