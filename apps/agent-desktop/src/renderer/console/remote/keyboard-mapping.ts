import type { DataChannelMessage, Modifiers } from '@beckon/protocol';

/**
 * Keys go out by physical key (`KeyboardEvent.code`), so the remote layout
 * decides what a key types; `key` rides along for a text fallback. Held keys
 * are tracked so that losing focus (Alt+Tab on the agent's own machine)
 * releases them on the remote side instead of leaving Ctrl stuck down.
 */
export type KeyMessage = Extract<DataChannelMessage, { type: 'key' }>;

export interface KeyEventLike {
  readonly type: string;
  readonly code: string;
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly metaKey: boolean;
  readonly isComposing?: boolean;
}

const CODE = /^[A-Za-z0-9]{1,32}$/;

export function modifiersOf(e: KeyEventLike): Modifiers {
  return { shift: e.shiftKey, ctrl: e.ctrlKey, alt: e.altKey, meta: e.metaKey };
}

/**
 * A keydown / keyup as a protocol message, or null for what has no physical
 * key (IME composition, `Unidentified`, synthetic events without a code).
 */
export function keyMessage(e: KeyEventLike): KeyMessage | null {
  const action = e.type === 'keydown' ? 'down' : e.type === 'keyup' ? 'up' : null;
  if (!action || e.isComposing || !CODE.test(e.code) || e.code === 'Unidentified') return null;
  return { type: 'key', action, code: e.code, key: clip(e.key, 32), modifiers: modifiersOf(e) };
}

/** At most `max` UTF-16 units without splitting a character. */
function clip(text: string, max: number): string {
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length > max) break;
    out += ch;
  }
  return out;
}

const NO_MODIFIERS: Modifiers = { shift: false, ctrl: false, alt: false, meta: false };

/** Which keys are down on the remote side because we pressed them. */
export function createHeldKeys() {
  const held = new Map<string, string>();
  return {
    /** Records the message; returns it unchanged for sending. */
    track(message: KeyMessage): KeyMessage {
      if (message.action === 'down') held.set(message.code, message.key);
      else held.delete(message.code);
      return message;
    },
    /** Key-up for everything still held, most recent first; forgets them. */
    releaseAll(): KeyMessage[] {
      const ups = [...held.entries()].reverse().map(([code, key]): KeyMessage => ({
        type: 'key',
        action: 'up',
        code,
        key,
        modifiers: NO_MODIFIERS,
      }));
      held.clear();
      return ups;
    },
    size: () => held.size,
  };
}
