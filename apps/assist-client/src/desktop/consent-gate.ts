import type { ConsentPrompt } from '../shared/ipc.ts';

export type ConsentDecision = 'allow' | 'deny';

export interface ConsentGate<P = ConsentPrompt> {
  /** Asks the customer; resolves with their decision. One question at a time. */
  ask(prompt: P): Promise<ConsentDecision>;
  /** The prompt awaiting a decision, if any. */
  pending(): P | null;
  /** Records the decision for the pending prompt; false when nothing is pending. */
  decide(decision: ConsentDecision): boolean;
}

/**
 * Nothing is shared before a local Allow: the engine awaits `ask`, and only
 * the consent window (through IPC) can `decide`. Closing it decides `deny`.
 * The same gate asks about incoming files.
 */
export function createConsentGate<P = ConsentPrompt>(): ConsentGate<P> {
  let current: { prompt: P; resolve: (decision: ConsentDecision) => void } | null = null;
  return {
    ask(prompt) {
      if (current) return Promise.reject(new Error('a consent prompt is already open'));
      return new Promise((resolve) => {
        current = { prompt, resolve };
      });
    },
    pending() {
      return current?.prompt ?? null;
    },
    decide(decision) {
      if (!current) return false;
      const { resolve } = current;
      current = null;
      resolve(decision);
      return true;
    },
  };
}
