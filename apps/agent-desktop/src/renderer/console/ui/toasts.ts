import { createStore, type StoreApi } from 'zustand/vanilla';

/** Short confirmations ("Copied", "Created…") shown in one polite live region. */
export interface Toast {
  readonly id: number;
  readonly text: string;
  readonly kind: 'info' | 'error';
}

export interface ToastState {
  readonly toasts: readonly Toast[];
  push(text: string, kind?: Toast['kind']): void;
  dismiss(id: number): void;
}

export type ToastStore = StoreApi<ToastState>;

const SHOW_MS = 5000;
const MAX = 4;

export function createToastStore(schedule: (fn: () => void, ms: number) => unknown = setTimeout): ToastStore {
  let seq = 0;
  return createStore<ToastState>()((set, get) => ({
    toasts: [],
    push(text, kind = 'info') {
      const id = ++seq;
      set({ toasts: [...get().toasts, { id, text, kind }].slice(-MAX) });
      schedule(() => get().dismiss(id), kind === 'error' ? SHOW_MS * 2 : SHOW_MS);
    },
    dismiss(id) {
      set({ toasts: get().toasts.filter((t) => t.id !== id) });
    },
  }));
}
