import type { DataChannelMessage, FmEntry, ProcessInfo } from '@beckon/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';

/**
 * The provider's side of a temporary host's file manager and process list
 * (AH8). Paths are kept as segments under one allowed folder (by index); the
 * host checks every one of them again, so nothing here is a guard.
 */
export interface FmState {
  roots: string[];
  root: number;
  path: string[];
  entries: FmEntry[] | null;
  truncated: boolean;
  error: string | null;
  processes: ProcessInfo[] | null;
  open(): void;
  enter(name: string): void;
  up(): void;
  setRoot(index: number): void;
  download(name: string): void;
  remove(name: string): void;
  rename(from: string, to: string): void;
  loadProcesses(): void;
  receive(message: DataChannelMessage): void;
  reset(): void;
}
export type FmStore = StoreApi<FmState>;

const EMPTY = { roots: [], root: 0, path: [], entries: null, truncated: false, error: null, processes: null };

export function createFmStore(send: (m: DataChannelMessage) => void): FmStore {
  let seq = 0;
  const id = (kind: string) => `${kind}${++seq}`;
  // Answers are matched to the request that is still current: a late listing never replaces a newer one.
  let listing = '';
  return createStore<FmState>((set, get) => {
    const list = () => {
      listing = id('l');
      set({ error: null });
      send({ type: 'fm_list', id: listing, root: get().root, path: get().path.join('/') });
    };
    const child = (name: string) => [...get().path, name].join('/');
    return {
      ...EMPTY,
      open() {
        send({ type: 'fm_roots', id: id('r') });
      },
      enter(name) {
        set({ path: [...get().path, name] });
        list();
      },
      up() {
        set({ path: get().path.slice(0, -1) });
        list();
      },
      setRoot(index) {
        set({ root: index, path: [] });
        list();
      },
      download(name) {
        // The bytes arrive as a file offer the Files section shows (accept, then save).
        send({ type: 'fm_download', id: id('d'), root: get().root, path: child(name) });
      },
      remove(name) {
        send({ type: 'fm_delete', id: id('x'), root: get().root, path: child(name) });
      },
      rename(from, to) {
        send({ type: 'fm_rename', id: id('n'), root: get().root, from: child(from), to: child(to) });
      },
      loadProcesses() {
        send({ type: 'processes_request', id: id('p') });
      },
      receive(m) {
        switch (m.type) {
          case 'fm_roots_result':
            set({ roots: m.roots, root: 0, path: [] });
            if (m.roots.length > 0) list();
            return;
          case 'fm_listing':
            if (m.id === listing) set({ entries: m.entries, truncated: m.truncated });
            return;
          case 'fm_done':
            // A rename or delete changed the folder; a finished download did not, but a fresh list is cheap.
            if (m.id.startsWith('n') || m.id.startsWith('x')) list();
            return;
          case 'fm_error':
            set({ error: `${m.code}: ${m.message}` });
            return;
          case 'processes':
            set({ processes: m.items });
            return;
          default:
            return;
        }
      },
      reset: () => set({ ...EMPTY }),
    };
  });
}
