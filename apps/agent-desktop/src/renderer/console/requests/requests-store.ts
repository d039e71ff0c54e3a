import type {
  AgentDevice,
  LiveServerMessage,
  Queue,
  SessionRequest,
  SessionRequestCreate,
  SessionRequestSummary,
  User,
} from '@beckon/protocol';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BrokerApi } from '../api/broker-api.ts';
import { failureOf, type ApiFailure } from '../api/http.ts';
import type { LiveStatus } from '../api/live-client.ts';
import {
  DEFAULT_FILTER,
  matchesFilter,
  toListParams,
  type RequestFilter,
  type Viewer,
} from './request-filter.ts';
import { EMPTY_LIST, appendPage, applyChange, newer, type RequestList } from './request-list.ts';

export interface DetailState {
  readonly id: string;
  readonly request: SessionRequest | null;
  readonly error: ApiFailure | null;
}

export type ActionResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export interface RequestsState {
  readonly filter: RequestFilter;
  readonly list: RequestList;
  readonly loading: 'idle' | 'first' | 'more';
  readonly error: ApiFailure | null;
  readonly live: LiveStatus;
  readonly viewer: Viewer | null;
  readonly queues: readonly Queue[];
  readonly devices: readonly AgentDevice[];
  readonly detail: DetailState | null;

  /**
   * Signed in: who is looking, and the assign targets. The first page waits
   * for the live channel (see setLive), so no change can fall between the two.
   */
  start(user: User): Promise<void>;
  reset(): void;
  setFilter(change: Partial<RequestFilter>): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
  setLive(status: LiveStatus): void;
  applyLive(message: LiveServerMessage): void;
  loadTargets(): Promise<void>;
  openDetail(id: string): Promise<void>;
  closeDetail(): void;
  create(body: SessionRequestCreate): Promise<ActionResult<SessionRequestSummary>>;
  close(id: string): Promise<ActionResult<SessionRequest>>;
  resendInvite(id: string, email?: string): Promise<ActionResult<SessionRequest>>;
}

export type RequestsStore = StoreApi<RequestsState>;

/** Live versions kept to outrank slower pages (bounded: only races need them). */
const FRESH_LIMIT = 500;

export function createRequestsStore(api: BrokerApi, now: () => Date = () => new Date()): RequestsStore {
  // A reload makes earlier answers stale: each load remembers the generation it belongs to.
  let generation = 0;
  const fresher = new Map<string, SessionRequestSummary>();
  // Live changes that arrive while the first page is on its way: the page may
  // have been read before they happened, so they are applied on top of it.
  let duringLoad: SessionRequestSummary[] = [];

  const remember = (r: SessionRequestSummary) => {
    fresher.delete(r.id);
    fresher.set(r.id, r);
    if (fresher.size > FRESH_LIMIT) fresher.delete(fresher.keys().next().value ?? '');
  };

  return createStore<RequestsState>()((set, get) => {
    async function fetchPage(cursor: string | null, mine: number): Promise<void> {
      try {
        const page = await api.listRequests(toListParams(get().filter, cursor));
        if (mine !== generation) return;
        const base = cursor === null ? EMPTY_LIST : get().list;
        let list = appendPage(base, page.items, page.nextCursor, fresher);
        if (cursor === null) {
          list = duringLoad.reduce((l, r) => applyChange(l, r, matches(r)), list);
          duringLoad = [];
        }
        set({ list, loading: 'idle', error: null });
      } catch (error) {
        if (mine !== generation) return;
        set({ loading: 'idle', error: failureOf(error) });
      }
    }

    async function act<T>(run: () => Promise<T>, after?: (value: T) => void): Promise<ActionResult<T>> {
      try {
        const value = await run();
        after?.(value);
        return { ok: true, value };
      } catch (error) {
        return { ok: false, failure: failureOf(error) };
      }
    }

    const matches = (r: SessionRequestSummary): boolean => {
      const { viewer, filter } = get();
      return viewer ? matchesFilter(r, filter, viewer, now().toISOString()) : false;
    };

    // A detail answer also updates its row: it is the newest version we have.
    function absorb(request: SessionRequest): void {
      const { events: _events, ...row } = request;
      remember(row);
      const state = get();
      set({
        list: state.list.byId.has(row.id) ? applyChange(state.list, row, matches(row)) : state.list,
        detail: state.detail?.id === row.id ? { id: row.id, request, error: null } : state.detail,
      });
    }

    return {
      filter: DEFAULT_FILTER,
      list: EMPTY_LIST,
      loading: 'idle',
      error: null,
      live: 'connecting',
      viewer: null,
      queues: [],
      devices: [],
      detail: null,

      async start(user) {
        set({ viewer: { userId: user.id, deviceIds: new Set() } });
        await get().loadTargets();
      },
      reset() {
        generation += 1;
        fresher.clear();
        duringLoad = [];
        set({
          filter: DEFAULT_FILTER,
          list: EMPTY_LIST,
          loading: 'idle',
          error: null,
          viewer: null,
          detail: null,
          live: 'connecting',
        });
      },
      setFilter(change) {
        set({ filter: { ...get().filter, ...change } });
        void get().reload();
      },
      async reload() {
        generation += 1;
        duringLoad = [];
        set({ loading: 'first', error: null });
        await fetchPage(null, generation);
      },
      async loadMore() {
        const { list, loading } = get();
        if (loading !== 'idle' || !list.loaded || list.nextCursor === null) return;
        set({ loading: 'more' });
        await fetchPage(list.nextCursor, generation);
      },
      setLive(status) {
        const was = get().live;
        set({ live: status });
        if (!get().viewer) return;
        // Loaded once the channel is up: changes from then on are pushed, and
        // those made while it was down are in the fresh page.
        if (status === 'live' && was !== 'live') void get().reload();
        // Without a live channel the list is still worth showing, just not live.
        else if (status === 'offline' && !get().list.loaded && get().loading === 'idle') void get().reload();
      },
      applyLive(message) {
        if (message.type !== 'request_changed') return;
        const request = message.request;
        remember(request);
        const state = get();
        if (!state.viewer) return;
        if (state.loading === 'first') duringLoad.push(request);
        set({ list: applyChange(state.list, request, matches(request)) });
        if (state.detail?.id === request.id) void get().openDetail(request.id);
      },
      async loadTargets() {
        try {
          const [queues, devices] = await Promise.all([api.listQueues(), api.listDevices()]);
          const viewer = get().viewer;
          const deviceIds = new Set(devices.filter((d) => d.userId === viewer?.userId).map((d) => d.id));
          set({ queues, devices, viewer: viewer ? { ...viewer, deviceIds } : null });
        } catch {
          // Without targets the dialogs offer only "me" / "unassigned"; the list still works.
        }
      },
      async openDetail(id) {
        const current = get().detail;
        if (current?.id !== id) set({ detail: { id, request: null, error: null } });
        try {
          const request = await api.getRequest(id);
          if (get().detail?.id === id) absorb(request);
        } catch (error) {
          if (get().detail?.id === id) set({ detail: { id, request: null, error: failureOf(error) } });
        }
      },
      closeDetail() {
        set({ detail: null });
      },
      create: (body) =>
        act(
          () => api.createRequest(body),
          // The live channel brings it too; applying it here shows it even when offline.
          (created) => get().applyLive({ type: 'request_changed', change: 'created', request: created }),
        ),
      close: (id) => act(() => api.closeRequest(id), absorb),
      resendInvite: (id, email) => act(() => api.resendInvite(id, email), absorb),
    };
  });
}

/** The newest known version of a row (list or open detail). */
export function requestById(state: RequestsState, id: string): SessionRequestSummary | undefined {
  const row = state.list.byId.get(id);
  const detail = state.detail?.id === id ? state.detail.request : null;
  if (!detail) return row;
  const { events: _events, ...fromDetail } = detail;
  return newer(fromDetail, row);
}
