import type { DataChannelMessage } from '@beckon/protocol';
import type { InputInjector } from '../types.ts';

// From parsed data-channel messages to injected input. Pointer moves (on the
// unordered `pointer` channel) are applied the moment they arrive: a stale move
// is worthless and a fresh one is the latency the agent feels. Everything else
// (clicks, keys, text on the ordered `control` channel) is applied strictly in
// arrival order, each after the previous one reached the window system, so a
// Ctrl+click is never a click followed by a Ctrl.
// Permission checks (the `control` permission) stay with the caller.

export type InputMessage = Extract<
  DataChannelMessage,
  { type: 'pointer_move' | 'pointer_button' | 'pointer_wheel' | 'key' | 'type_text' }
>;

export interface InputDispatcher {
  /** Applies `message`; the promise settles once it has been applied (never rejects). */
  dispatch(message: InputMessage): Promise<void>;
  /** Resolves when every message dispatched so far has been applied. */
  idle(): Promise<void>;
}

export interface DispatcherOptions {
  /** The display the agent is looking at (default: the primary one). */
  readonly displayId?: string;
  /** Told about messages that could not be applied (unknown key, lost display…). */
  readonly onError?: (error: unknown, message: InputMessage) => void;
}

export function createInputDispatcher(
  input: InputInjector,
  options: DispatcherOptions = {},
): InputDispatcher {
  const { displayId, onError } = options;
  let queue: Promise<void> = Promise.resolve();

  const apply = async (m: InputMessage): Promise<void> => {
    switch (m.type) {
      case 'pointer_move':
        return input.pointerMoveNormalized(m.x, m.y, displayId);
      case 'pointer_button':
        await input.pointerMoveNormalized(m.x, m.y, displayId);
        return input.pointerButton(m.button, m.action);
      case 'pointer_wheel':
        return input.wheel(m.dx, m.dy);
      case 'key':
        if (!(await input.key(m.code, m.action, m.modifiers))) {
          throw new Error(`key ${m.code} is not available on this computer`);
        }
        return;
      case 'type_text': {
        const { skipped } = await input.typeText(m.text);
        if (skipped > 0) throw new Error(`${skipped} character(s) could not be typed on this computer`);
        return;
      }
    }
  };

  const guarded = (m: InputMessage) =>
    apply(m).catch((err: unknown) => {
      onError?.(err, m);
    });

  return {
    dispatch(message) {
      if (message.type === 'pointer_move') return guarded(message);
      queue = queue.then(() => guarded(message));
      return queue;
    },
    idle() {
      return queue;
    },
  };
}
