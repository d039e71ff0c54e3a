import type { DeepLink } from '../shared/ipc.ts';

export interface DeepLinkInbox {
  /** A link arrived (argv, second instance, or macOS open-url). */
  receive(link: DeepLink): void;
  /** The renderer subscribed: returns what it missed; later links are pushed. */
  take(): DeepLink[];
  /** The renderer went away (reload, window closed): queue again until it subscribes. */
  reset(): void;
}

/**
 * Holds deep links until the renderer listens, then forwards them with `push`.
 * A link can arrive before the window exists, so nothing is lost in between.
 */
export function createDeepLinkInbox(push: (link: DeepLink) => void, limit = 16): DeepLinkInbox {
  let pending: DeepLink[] = [];
  let listening = false;
  return {
    receive(link) {
      if (listening) {
        push(link);
        return;
      }
      pending.push(link);
      if (pending.length > limit) pending = pending.slice(-limit);
    },
    take() {
      const missed = pending;
      pending = [];
      listening = true;
      return missed;
    },
    reset() {
      listening = false;
    },
  };
}
