import { setTimeout as delay } from 'node:timers/promises';
import type { X11Keyboard } from './keyboard.ts';

// Characters the layout lacks (é on a US keyboard, 日, ✓) are typed by binding
// their keysym to an unused keycode and pressing that. A client learns of a
// new binding from a MappingNotify and looks the key up when it gets round to
// the key event; pressed too soon after binding, or unbound too soon after
// pressing (as xdotool does), characters get lost when the client is slow.
// So bindings are made in one batch before a run of text, followed by a short
// pause, and kept for the session to be reused. Only when every spare keycode
// is taken is the least recently used one rebound, after a pause for clients
// to finish with it. `release()` restores the mapping.

/** Pause after binding, before the new keys are pressed. */
const BIND_SETTLE_MS = 30;
/** Pause before a spare keycode is rebound to another character. */
const REBIND_SETTLE_MS = 150;

export class CharBindings {
  private readonly kb: X11Keyboard;
  /** keysym -> keycode, least recently used first. */
  private readonly ours = new Map<number, number>();

  constructor(kb: X11Keyboard) {
    this.kb = kb;
  }

  has(keysym: number): boolean {
    return this.ours.has(keysym);
  }

  /** How many distinct characters can be bound at the same time. */
  capacity(): number {
    const taken = new Set(this.ours.values());
    return taken.size + this.kb.spareKeycodes().filter((k) => !taken.has(k)).length;
  }

  /**
   * Makes sure every keysym in `wanted` (at most `capacity()`) is bound, and
   * returns where each one is. Waits for clients to take in new bindings.
   */
  async prepare(wanted: ReadonlySet<number>): Promise<Map<number, number>> {
    const taken = new Set(this.ours.values());
    const free = this.kb.spareKeycodes().filter((k) => !taken.has(k));
    let bound = false;
    let settled = false;
    for (const keysym of wanted) {
      if (this.ours.has(keysym)) continue;
      let keycode = free.shift();
      if (keycode === undefined) {
        const victim = [...this.ours.keys()].find((k) => !wanted.has(k));
        if (victim === undefined) continue;
        if (!settled) {
          await this.kb.sync();
          await delay(REBIND_SETTLE_MS);
          settled = true;
        }
        keycode = this.ours.get(victim)!;
        this.ours.delete(victim);
      }
      this.kb.bind(keycode, keysym);
      this.ours.set(keysym, keycode);
      bound = true;
    }
    if (bound) {
      await this.kb.sync();
      await delay(BIND_SETTLE_MS);
    }
    const at = new Map<number, number>();
    for (const keysym of wanted) {
      const keycode = this.ours.get(keysym);
      if (keycode === undefined) continue;
      // Most recently used last.
      this.ours.delete(keysym);
      this.ours.set(keysym, keycode);
      at.set(keysym, keycode);
    }
    return at;
  }

  /** Unbinds every keycode bound here (call `sync()` after). */
  release(): void {
    for (const keycode of this.ours.values()) this.kb.bind(keycode, 0);
    this.ours.clear();
  }
}
