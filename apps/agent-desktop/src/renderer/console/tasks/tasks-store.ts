import type { DataChannelMessage, MonitorSample, SystemInfo } from '@beckon/protocol';
import {
  FileTransfers,
  blobSource,
  type FileSink,
  type FileTransport,
  type IncomingOffer,
  type OfferDecision,
} from '@beckon/session';
import { createStore, type StoreApi } from 'zustand/vanilla';

export type TransferState = 'asking' | 'waiting' | 'running' | 'done' | 'cancelled';

export interface TransferItem {
  readonly id: string;
  readonly direction: 'send' | 'receive';
  /** As the sender named it: shown as text, never used as a path. */
  readonly name: string;
  /** For a download: the sanitized name the browser saves it under. */
  readonly saveAs: string;
  readonly size: number;
  readonly bytes: number;
  readonly state: TransferState;
  readonly reason: string | null;
  /** `remote`: the other side cancelled or declined it. */
  readonly by: 'local' | 'remote' | null;
  /** A received file, ready to save (an object URL of its Blob). */
  readonly url: string | null;
}

export interface TasksState {
  /** The files channel is up (a live session). */
  readonly connected: boolean;
  readonly transfers: readonly TransferItem[];
  readonly sysinfo: { readonly loading: boolean; readonly info: SystemInfo | null };
  readonly monitor: { readonly running: boolean; readonly samples: readonly MonitorSample[] };
  /** The last text the host put on our clipboard (its copy), to copy here. */
  readonly remoteClipboard: string | null;

  reset(): void;
  attach(transport: FileTransport | null): void;
  receive(message: DataChannelMessage): void;
  sendFiles(files: readonly File[]): void;
  cancel(id: string): void;
  accept(id: string): void;
  decline(id: string): void;
  requestSysinfo(): void;
  startMonitor(): void;
  stopMonitor(): void;
}

export type TasksStore = StoreApi<TasksState>;

export interface TasksDeps {
  send(message: DataChannelMessage): void;
  createUrl(blob: Blob): string;
  revokeUrl(url: string): void;
}

/** A minute of samples at the interval asked for: what the charts draw. */
export const MONITOR_INTERVAL_MS = 1000;
export const MONITOR_KEEP = 60;
/** The one type a received file's Blob gets: a browser can only save it, never render it. */
export const SAVE_ONLY_TYPE = 'application/octet-stream';

/**
 * The remote tasks of one live session: files both ways, system information
 * and the live monitor. It owns the session's FileTransfers (built on the files
 * channel the engine hands over) and keeps only plain data for the view.
 */
export function createTasksStore(deps: TasksDeps): TasksStore {
  let transfers: FileTransfers | null = null;
  let unsubscribe: (() => void)[] = [];
  /** Incoming offers waiting for the agent's answer. */
  const answers = new Map<string, (accept: boolean, reason?: string) => void>();

  return createStore<TasksState>()((set, get) => {
    const patch = (id: string, change: Partial<TransferItem>) =>
      set({ transfers: get().transfers.map((t) => (t.id === id ? { ...t, ...change } : t)) });
    const add = (item: TransferItem) => set({ transfers: [...get().transfers, item] });
    const over = (t: TransferItem | undefined) => !t || t.state === 'done' || t.state === 'cancelled';

    const detach = (reason: string) => {
      for (const off of unsubscribe) off();
      unsubscribe = [];
      for (const [id, answer] of answers) {
        answer(false, reason);
        patch(id, { state: 'cancelled', reason, by: 'local' });
      }
      answers.clear();
      transfers?.dispose(reason);
      transfers = null;
      set({
        connected: false,
        transfers: get().transfers.map((t) =>
          over(t) ? t : { ...t, state: 'cancelled', reason, by: 'local' as const },
        ),
        monitor: { ...get().monitor, running: false },
        sysinfo: { ...get().sysinfo, loading: false },
      });
    };

    /**
     * Collects a download in memory; the agent saves it from the Blob once it checked out.
     * Always `application/octet-stream`, never the type the host claims: a `blob:` URL has
     * the console's origin, so a `text/html` one opened in a tab (from the address bar no
     * content policy follows it) would run the host's script as the signed-in agent.
     * Bytes with no type can only be saved.
     */
    const memorySink = (offer: IncomingOffer): FileSink => {
      const parts: BlobPart[] = [];
      return {
        write: async (chunk) => void parts.push(chunk.slice()),
        close: async () => {
          const blob = new Blob(parts, { type: SAVE_ONLY_TYPE });
          patch(offer.transferId, { state: 'done', bytes: blob.size, url: deps.createUrl(blob) });
        },
        abort: async () => void parts.splice(0),
      };
    };

    const onOffer = (offer: IncomingOffer) =>
      new Promise<OfferDecision>((resolve) => {
        answers.set(offer.transferId, (accept, reason) =>
          resolve(accept ? { accept: true, sink: memorySink(offer) } : { accept: false, reason }),
        );
        add({
          id: offer.transferId,
          direction: 'receive',
          name: offer.name,
          saveAs: offer.safeName,
          size: offer.size,
          bytes: 0,
          state: 'asking',
          reason: null,
          by: null,
          url: null,
        });
      });

    return {
      connected: false,
      transfers: [],
      sysinfo: { loading: false, info: null },
      monitor: { running: false, samples: [] },
      remoteClipboard: null,

      reset() {
        detach('session ended');
        for (const t of get().transfers) if (t.url) deps.revokeUrl(t.url);
        set({
          transfers: [],
          sysinfo: { loading: false, info: null },
          monitor: { running: false, samples: [] },
          remoteClipboard: null,
        });
      },

      attach(transport) {
        if (transfers) detach('session ended');
        if (!transport) return;
        const t = new FileTransfers(transport, { onOffer });
        transfers = t;
        unsubscribe = [
          t.on('progress', (p) => {
            const item = get().transfers.find((x) => x.id === p.transferId);
            // Progress after the last byte can trail a completion: never go back from done.
            if (item && !over(item) && item.state !== 'asking')
              patch(p.transferId, { bytes: p.bytes, state: 'running' });
          }),
          t.on('complete', (done) => {
            if (done.direction === 'send') patch(done.transferId, { state: 'done', bytes: done.size });
          }),
          t.on('cancelled', (c) => {
            answers.delete(c.transferId);
            patch(c.transferId, { state: 'cancelled', reason: c.reason, by: c.by });
          }),
        ];
        set({ connected: true });
      },

      receive(message) {
        switch (message.type) {
          case 'sysinfo_snapshot':
            return set({ sysinfo: { loading: false, info: message.info } });
          case 'monitor_sample': {
            const samples = [...get().monitor.samples, message];
            return set({ monitor: { ...get().monitor, samples: samples.slice(-MONITOR_KEEP) } });
          }
          case 'clipboard':
            return set({ remoteClipboard: message.text });
          default:
            return;
        }
      },

      sendFiles(files) {
        const t = transfers;
        if (!t) return;
        for (const file of files) {
          const out = t.send({ name: file.name, source: blobSource(file), mime: file.type || undefined });
          add({
            id: out.transferId,
            direction: 'send',
            name: file.name,
            saveAs: file.name,
            size: file.size,
            bytes: 0,
            state: 'waiting',
            reason: null,
            by: null,
            url: null,
          });
        }
      },

      cancel(id) {
        const answer = answers.get(id);
        if (answer) return get().decline(id);
        transfers?.cancel(id, 'cancelled by the agent');
      },

      accept(id) {
        const answer = answers.get(id);
        if (!answer) return;
        answers.delete(id);
        patch(id, { state: 'running' });
        answer(true);
      },

      decline(id) {
        const answer = answers.get(id);
        if (!answer) return;
        answers.delete(id);
        patch(id, { state: 'cancelled', reason: 'declined by the agent', by: 'local' });
        answer(false, 'declined by the agent');
      },

      requestSysinfo() {
        set({ sysinfo: { ...get().sysinfo, loading: true } });
        deps.send({ type: 'sysinfo_request' });
      },

      startMonitor() {
        set({ monitor: { running: true, samples: [] } });
        deps.send({ type: 'monitor_start', intervalMs: MONITOR_INTERVAL_MS });
      },

      stopMonitor() {
        set({ monitor: { ...get().monitor, running: false } });
        deps.send({ type: 'monitor_stop' });
      },
    };
  });
}
