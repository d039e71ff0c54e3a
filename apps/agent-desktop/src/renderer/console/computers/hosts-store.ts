import type { HostGroup, HostSummary, LiveServerMessage } from '@beckon/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HostsApi } from './hosts-api.ts';

export interface HostsState {
  /** Every host of the organisation by id; changed in place, `version` says when. */
  readonly byId: ReadonlyMap<string, HostSummary>;
  readonly version: number;
  readonly groups: readonly HostGroup[];
  readonly loading: boolean;
  readonly error: string | null;
  start(): Promise<void>;
  reset(): void;
  applyLive(message: LiveServerMessage): void;
}

export type HostsStore = StoreApi<HostsState>;

/** A page of this many hosts per request: 20,000 hosts load in 20 requests. */
const PAGE = 1000;

/**
 * The Computers list: every host, loaded page by page, kept current by the
 * live channel. Live changes are applied in place and published at most once
 * per 50 ms: after a broker restart thousands of hosts come back at once,
 * and one render per host would stall the page.
 */
export function createHostsStore(api: HostsApi): HostsStore {
  const byId = new Map<string, HostSummary>();
  let run = 0;
  let flush: ReturnType<typeof setTimeout> | undefined;
  return createStore<HostsState>()((set, get) => {
    const publish = () => {
      flush = undefined;
      set({ version: get().version + 1 });
    };
    const later = () => {
      flush ??= setTimeout(publish, 50);
    };
    return {
      byId,
      version: 0,
      groups: [],
      loading: false,
      error: null,
      async start() {
        const mine = ++run;
        set({ loading: true, error: null });
        try {
          const groups = await api.groups();
          let cursor: string | undefined;
          do {
            const page = await api.list({ cursor, limit: PAGE });
            if (mine !== run) return;
            // A live change that arrived while the page was read is newer: keep it.
            for (const h of page.items) if (!byId.has(h.id)) byId.set(h.id, h);
            cursor = page.nextCursor ?? undefined;
            set({ version: get().version + 1, groups });
          } while (cursor);
          set({ loading: false });
        } catch (err) {
          if (mine === run) set({ loading: false, error: (err as Error).message });
        }
      },
      reset() {
        run++;
        byId.clear();
        set({ version: get().version + 1, groups: [], loading: false, error: null });
      },
      applyLive(message) {
        if (message.type === 'host_changed') byId.set(message.host.id, message.host);
        else if (message.type === 'host_removed') byId.delete(message.hostId);
        else return;
        later();
      },
    };
  });
}
