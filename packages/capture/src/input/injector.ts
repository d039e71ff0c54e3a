import type {
  Display,
  InputInjector,
  KeyAction,
  Modifiers,
  PointerButton,
  TypeTextResult,
} from '../types.ts';
import { normalizedToPixel } from '@beckon/protocol';
import { MODIFIER_KEYS, MODIFIER_NAMES, modifierOf } from '../keys/codes.ts';

// What every backend shares above its raw calls: display lookup and scaling,
// modifier synchronisation, and bookkeeping of what is held down, so that a
// session ending mid-drag or mid-shortcut never leaves a button or key stuck
// on the customer's computer.

/** The backend's raw input calls, in its logical pointer coordinates. */
export interface RawInput {
  /** Must be synchronous: pointer moves are the latency-critical path. */
  move(x: number, y: number): void;
  button(button: PointerButton, down: boolean): void | Promise<void>;
  /** Positive `dy` scrolls down, positive `dx` right. */
  wheel(dx: number, dy: number): void | Promise<void>;
  hasKey(code: string): boolean;
  key(code: string, down: boolean): void | Promise<void>;
  type(text: string): Promise<TypeTextResult>;
  /**
   * The window system repeats held keys by itself (X11 does for XTEST keys).
   * Then a repeated key-down from the agent is dropped, so keys do not repeat
   * at twice the rate.
   */
  readonly hostRepeats: boolean;
}

/** At most this many wheel steps per call: a hostile or buggy peer cannot queue 10 000. */
export const MAX_WHEEL_STEPS = 50;

export class Injector implements InputInjector {
  private readonly raw: RawInput;
  private readonly displays: () => readonly Display[];
  private readonly heldKeys = new Set<string>();
  private readonly heldButtons = new Set<PointerButton>();

  constructor(raw: RawInput, displays: () => readonly Display[]) {
    this.raw = raw;
    this.displays = displays;
  }

  private display(displayId: string | undefined): Display {
    const all = this.displays();
    const found = displayId === undefined ? all[0] : all.find((d) => d.id === displayId);
    if (!found) throw new Error(`no display ${displayId ?? '(primary)'}`);
    return found;
  }

  pointerMove(x: number, y: number, displayId?: string): Promise<void> {
    const d = this.display(displayId);
    const { bounds, scaleFactor: s } = d;
    const lx = Math.min(bounds.width - 1, Math.max(0, Math.round(x / s)));
    const ly = Math.min(bounds.height - 1, Math.max(0, Math.round(y / s)));
    this.raw.move(bounds.x + lx, bounds.y + ly);
    return Promise.resolve();
  }

  pointerMoveNormalized(nx: number, ny: number, displayId?: string): Promise<void> {
    const d = this.display(displayId);
    const { bounds, scaleFactor: s } = d;
    const frameWidth = Math.round(bounds.width * s);
    const frameHeight = Math.round(bounds.height * s);
    return this.pointerMove(normalizedToPixel(nx, frameWidth), normalizedToPixel(ny, frameHeight), d.id);
  }

  async pointerButton(button: PointerButton, action: KeyAction): Promise<void> {
    const down = action === 'down';
    await this.raw.button(button, down);
    if (down) this.heldButtons.add(button);
    else this.heldButtons.delete(button);
  }

  async wheel(dx: number, dy: number): Promise<void> {
    const clamp = (n: number) => Math.max(-MAX_WHEEL_STEPS, Math.min(MAX_WHEEL_STEPS, Math.trunc(n)));
    const x = clamp(dx);
    const y = clamp(dy);
    if (x !== 0 || y !== 0) await this.raw.wheel(x, y);
  }

  supportsKey(code: string): boolean {
    return this.raw.hasKey(code);
  }

  async key(code: string, action: KeyAction, modifiers?: Modifiers): Promise<boolean> {
    if (!this.raw.hasKey(code)) return false;
    const down = action === 'down';
    if (modifiers) await this.syncModifiers(modifiers, modifierOf(code));
    if (down && this.heldKeys.has(code) && this.raw.hostRepeats) return true;
    if (!down && !this.heldKeys.has(code)) return true; // never release what we did not press
    await this.raw.key(code, down);
    if (down) this.heldKeys.add(code);
    else this.heldKeys.delete(code);
    return true;
  }

  /** Presses or releases modifiers until the host's state matches the agent's. */
  private async syncModifiers(modifiers: Modifiers, skip: string | undefined): Promise<void> {
    for (const name of MODIFIER_NAMES) {
      if (name === skip) continue;
      const held = MODIFIER_KEYS[name].filter((c) => this.heldKeys.has(c));
      if (modifiers[name] && held.length === 0) {
        const first = MODIFIER_KEYS[name].find((c) => this.raw.hasKey(c));
        if (first) {
          await this.raw.key(first, true);
          this.heldKeys.add(first);
        }
      } else if (!modifiers[name]) {
        for (const c of held) {
          await this.raw.key(c, false);
          this.heldKeys.delete(c);
        }
      }
    }
  }

  /** Typing ignores held modifiers: they are lifted for the text and pressed again after. */
  async typeText(text: string): Promise<TypeTextResult> {
    const lifted = [...this.heldKeys].filter((c) => modifierOf(c) !== undefined);
    for (const c of lifted) await this.raw.key(c, false);
    try {
      return await this.raw.type(text);
    } finally {
      for (const c of lifted) await this.raw.key(c, true);
    }
  }

  async releaseAll(): Promise<void> {
    for (const b of [...this.heldButtons]) await this.pointerButton(b, 'up');
    // Ordinary keys first, modifiers last, so no shortcut fires on the way out.
    const keys = [...this.heldKeys].sort(
      (a, b) => Number(modifierOf(a) !== undefined) - Number(modifierOf(b) !== undefined),
    );
    for (const c of keys) {
      await this.raw.key(c, false);
      this.heldKeys.delete(c);
    }
  }
}
