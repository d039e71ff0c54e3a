import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionRequestSummary, User } from '@beckon/protocol';
import type { BrokerApi, RequestListParams } from '../api/broker-api.ts';
import { ApiError } from '../api/http.ts';
import { createRequestsStore } from './requests-store.ts';
import { ME, MY_DEVICE, OTHER, summary } from '../testing/request-fixtures.ts';

const user: User = {
  id: ME,
  orgId: OTHER,
  email: 'me@example.com',
  name: 'Me',
  role: 'support_agent',
  permissions: ['session_requests:view', 'session_requests:edit'],
  createdAt: '2030-01-01T00:00:00.000Z',
  disabled: false,
};

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function fakeApi(
  pages: (p: RequestListParams) => Promise<{ items: SessionRequestSummary[]; nextCursor: string | null }>,
) {
  const calls: RequestListParams[] = [];
  const api = {
    listRequests: (p: RequestListParams) => {
      calls.push(p);
      return pages(p);
    },
    listQueues: async () => [],
    listDevices: async () => [
      {
        id: MY_DEVICE,
        userId: ME,
        name: 'Laptop',
        platform: 'linux',
        createdAt: user.createdAt,
        lastSeenAt: null,
      },
    ],
    getRequest: async (id: string) => ({ ...summary(), id, status: 'closed', events: [] }),
    closeRequest: async () => {
      throw new ApiError({
        status: 409,
        code: 'request_closed',
        message: 'closed',
        issues: [],
        retryAfter: null,
      });
    },
  } as unknown as BrokerApi;
  return { api, calls };
}

const now = () => new Date('2030-01-15T00:00:00.000Z');
const flush = () => new Promise((r) => setImmediate(r));

/** Signed in and the live channel up: the first page is loaded. */
async function started(store: ReturnType<typeof createRequestsStore>) {
  await store.getState().start(user);
  store.getState().setLive('live');
  await flush();
}

describe('requests store', () => {
  it('loads the first page for "mine" once live, then more pages with the cursor', async () => {
    const { api, calls } = fakeApi(async (p) =>
      p.cursor
        ? { items: [summary({ n: 1 })], nextCursor: null }
        : { items: [summary({ n: 3 }), summary({ n: 2 })], nextCursor: 'c2' },
    );
    const store = createRequestsStore(api, now);
    await store.getState().start(user);
    assert.equal(calls.length, 0, 'waits for the live channel');
    store.getState().setLive('live');
    await flush();
    assert.equal(calls[0]?.assignee, 'me');
    assert.equal(store.getState().list.ids.length, 2);
    assert.ok(store.getState().viewer?.deviceIds.has(MY_DEVICE));
    await store.getState().loadMore();
    assert.equal(calls[1]?.cursor, 'c2');
    assert.equal(store.getState().list.ids.length, 3);
    await store.getState().loadMore();
    assert.equal(calls.length, 2, 'nothing more to load');
  });

  it('drops an answer that a newer filter made stale', async () => {
    const slow = deferred<{ items: SessionRequestSummary[]; nextCursor: null }>();
    let first = true;
    const { api } = fakeApi(async () => {
      if (first) {
        first = false;
        return slow.promise;
      }
      return { items: [summary({ n: 5, recipientName: 'Fresh' })], nextCursor: null };
    });
    const store = createRequestsStore(api, now);
    store.setState({ viewer: { userId: ME, deviceIds: new Set() } });
    const stale = store.getState().reload();
    await store.getState().reload();
    slow.resolve({ items: [summary({ n: 9, recipientName: 'Stale' })], nextCursor: null });
    await stale;
    const names = store.getState().list.ids.map((id) => store.getState().list.byId.get(id)?.recipientName);
    assert.deepEqual(names, ['Fresh']);
  });

  it('applies live changes: update, leave the filter, arrive', async () => {
    const { api } = fakeApi(async () => ({
      items: [summary({ n: 2 }), summary({ n: 1 })],
      nextCursor: null,
    }));
    const store = createRequestsStore(api, now);
    await started(store);
    const waiting = {
      ...summary({ n: 2 }),
      status: 'waiting' as const,
      updatedAt: '2030-01-10T00:00:00.000Z',
    };
    store.getState().applyLive({ type: 'request_changed', change: 'status', request: waiting });
    assert.equal(store.getState().list.byId.get(waiting.id)?.status, 'waiting');
    store.getState().setFilter({ statuses: ['waiting'] });
    await flush();
    const elsewhere = {
      ...summary({ n: 1 }),
      assignee: { type: 'agent' as const, id: OTHER, name: 'O' },
      updatedAt: '2030-01-11T00:00:00.000Z',
    };
    store.getState().applyLive({ type: 'request_changed', change: 'updated', request: elsewhere });
    assert.ok(!store.getState().list.byId.has(elsewhere.id));
    const mineNew = { ...summary({ n: 3 }), status: 'waiting' as const };
    store.getState().applyLive({ type: 'request_changed', change: 'created', request: mineNew });
    assert.equal(store.getState().list.ids[0], mineNew.id);
    store.getState().applyLive({ type: 'pong', t: 1 });
  });

  it('keeps a change that arrives while the first page, read before it, is on its way', async () => {
    const slow = deferred<{ items: SessionRequestSummary[]; nextCursor: null }>();
    const { api } = fakeApi(() => slow.promise);
    const store = createRequestsStore(api, now);
    await store.getState().start(user);
    store.getState().setLive('live');
    const created = { ...summary({ n: 3 }), updatedAt: '2030-01-12T00:00:00.000Z' };
    store.getState().applyLive({ type: 'request_changed', change: 'created', request: created });
    slow.resolve({ items: [summary({ n: 1 })], nextCursor: null });
    await flush();
    assert.deepEqual(store.getState().list.ids, [created.id, summary({ n: 1 }).id]);
  });

  it('reports action failures as data and keeps the detail in step', async () => {
    const { api } = fakeApi(async () => ({ items: [summary({ n: 1 })], nextCursor: null }));
    const store = createRequestsStore(api, now);
    await started(store);
    const result = await store.getState().close(summary({ n: 1 }).id);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.failure.code, 'request_closed');
    await store.getState().openDetail(summary({ n: 1 }).id);
    assert.equal(store.getState().detail?.request?.status, 'closed');
  });

  it('loads again when the live channel comes back, and without it at all', async () => {
    const { api, calls } = fakeApi(async () => ({ items: [], nextCursor: null }));
    const store = createRequestsStore(api, now);
    await started(store);
    store.getState().setLive('offline');
    store.getState().setLive('connecting');
    store.getState().setLive('live');
    await flush();
    assert.equal(calls.length, 2);

    const offline = fakeApi(async () => ({ items: [summary()], nextCursor: null }));
    const lonely = createRequestsStore(offline.api, now);
    await lonely.getState().start(user);
    lonely.getState().setLive('offline');
    await flush();
    lonely.getState().setLive('offline');
    assert.equal(offline.calls.length, 1);
    assert.equal(lonely.getState().list.ids.length, 1);
  });
});
