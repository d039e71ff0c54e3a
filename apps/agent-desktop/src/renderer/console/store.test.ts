import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { User } from '@beckon/protocol';
import type { DeepLink, DesktopApi } from '../../shared/ipc.ts';
import type { BrokerApi } from './api/broker-api.ts';
import { ApiError } from './api/http.ts';
import { desktopBridge } from './bridge.ts';
import { PREFERENCES_KEY, type KeyValueStore } from './settings/preferences.ts';
import { connectBridge, createAppStore, storedToken } from './store.ts';

const ID_A = '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5a';
const ID_B = '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b';

const user: User = {
  id: ID_A,
  orgId: ID_B,
  email: 'agent@example.com',
  name: 'Agent',
  role: 'support_agent',
  permissions: ['session_requests:view', 'session_requests:edit'],
  createdAt: '2030-01-01T00:00:00.000Z',
  disabled: false,
};

function fakeBridge(): DesktopApi & { emit(link: DeepLink): void } {
  const listeners = new Set<(link: DeepLink) => void>();
  return {
    platform: 'linux',
    onDeepLink(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notify() {},
    emit(link) {
      for (const listener of listeners) listener(link);
    },
  };
}

function memory(): KeyValueStore & { removeItem(k: string): void; data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

const failure = (status: number, code: 'invalid_credentials' | 'unauthenticated' | 'network') =>
  new ApiError({ status, code, message: code, issues: [], retryAfter: null });

function fakeApi(over: Partial<BrokerApi> = {}): BrokerApi {
  return {
    login: async (body) => {
      if (body.password !== 'right password') throw failure(401, 'invalid_credentials');
      return { token: 'tok', expiresAt: '2030-01-02T00:00:00.000Z', user };
    },
    logout: async () => {},
    me: async () => {
      throw failure(401, 'unauthenticated');
    },
    ...over,
  } as BrokerApi;
}

describe('app store', () => {
  it('runs as the web console without a preload bridge', () => {
    const store = createAppStore({ bridge: desktopBridge({}), api: fakeApi() });
    assert.equal(store.getState().shell, 'browser');
    assert.equal(store.getState().platform, null);
    assert.equal(store.getState().auth.status, 'signed_out', 'no sign-in hint: nothing to check');
    assert.doesNotThrow(() => connectBridge(store, undefined)());
  });

  it('signs in, remembers it, and signs out', async () => {
    const storage = memory();
    const hashes: string[] = [];
    const store = createAppStore({
      bridge: undefined,
      api: fakeApi(),
      storage,
      setHash: (h) => hashes.push(h),
    });
    await store.getState().submitSignIn({ email: ' ', password: 'x' });
    assert.equal(store.getState().signIn.problem, 'signIn.missing');
    await store.getState().submitSignIn({ email: 'agent@example.com', password: 'wrong' });
    assert.equal(store.getState().signIn.failure?.code, 'invalid_credentials');
    await store.getState().submitSignIn({ email: 'agent@example.com', password: 'right password' });
    assert.equal(store.getState().auth.status, 'signed_in');
    assert.equal(store.getState().auth.user?.name, 'Agent');
    assert.match(storage.data.get(PREFERENCES_KEY) ?? '', /"signedIn":true/);
    await store.getState().signOut();
    assert.equal(store.getState().auth.status, 'signed_out');
    assert.match(storage.data.get(PREFERENCES_KEY) ?? '', /"signedIn":false/);
    assert.deepEqual(hashes, ['#/requests']);
  });

  it('restores a session after a reload, and notices a lost one', async () => {
    const storage = memory();
    storage.setItem(PREFERENCES_KEY, JSON.stringify({ signedIn: true }));
    const ok = createAppStore({ bridge: undefined, api: fakeApi({ me: async () => user }), storage });
    assert.equal(ok.getState().auth.status, 'checking');
    await ok.getState().restoreSession();
    assert.equal(ok.getState().auth.status, 'signed_in');
    ok.getState().sessionLost();
    assert.deepEqual(ok.getState().auth, { status: 'signed_out', user: null, expired: true });

    storage.setItem(PREFERENCES_KEY, JSON.stringify({ signedIn: true }));
    const gone = createAppStore({ bridge: undefined, api: fakeApi(), storage });
    await gone.getState().restoreSession();
    assert.equal(gone.getState().auth.status, 'signed_out');
    assert.match(storage.data.get(PREFERENCES_KEY) ?? '', /"signedIn":false/);
  });

  it('keeps the sign-in hint when the broker is only unreachable', async () => {
    const storage = memory();
    storage.setItem(PREFERENCES_KEY, JSON.stringify({ signedIn: true }));
    const me = async (): Promise<User> => {
      throw failure(0, 'network');
    };
    const store = createAppStore({ bridge: undefined, api: fakeApi({ me }), storage });
    await store.getState().restoreSession();
    assert.equal(store.getState().auth.status, 'signed_out');
    assert.match(storage.data.get(PREFERENCES_KEY) ?? '', /"signedIn":true/);
  });

  it('desktop: needs a broker address and keeps the bearer token for the window session', async () => {
    const tokens = memory();
    const store = createAppStore({
      bridge: fakeBridge(),
      api: fakeApi(),
      tokenStorage: tokens,
      storage: memory(),
    });
    await store
      .getState()
      .submitSignIn({ email: 'agent@example.com', password: 'right password', brokerUrl: 'nope' });
    assert.equal(store.getState().signIn.problem, 'signIn.brokerUrlInvalid');
    await store.getState().submitSignIn({
      email: 'agent@example.com',
      password: 'right password',
      brokerUrl: 'https://support.example.com/',
    });
    assert.equal(store.getState().prefs.brokerUrl, 'https://support.example.com');
    assert.equal(storedToken(tokens), 'tok');
    await store.getState().signOut();
    assert.equal(storedToken(tokens), null);
  });

  it('opens the request of a deep link after sign-in, until disconnected', async () => {
    const bridge = fakeBridge();
    const store = createAppStore({ bridge: desktopBridge({ beckon: bridge }), api: fakeApi() });
    assert.equal(store.getState().shell, 'desktop');
    assert.equal(store.getState().platform, 'linux');
    const disconnect = connectBridge(store, bridge);
    bridge.emit({ kind: 'request', requestId: ID_A });
    assert.equal(store.getState().openRequestId, ID_A);
    await store.getState().submitSignIn({
      email: 'agent@example.com',
      password: 'right password',
      brokerUrl: 'https://b.example',
    });
    assert.deepEqual(store.getState().route, { name: 'request', id: ID_A });
    assert.equal(store.getState().openRequestId, null);
    disconnect();
    bridge.emit({ kind: 'request', requestId: ID_B });
    assert.deepEqual(store.getState().route, { name: 'request', id: ID_A });
  });

  it('ignores a malformed bridge object', () => {
    assert.equal(desktopBridge({ beckon: { platform: 1 } }), undefined);
    assert.equal(desktopBridge({ beckon: { platform: 'linux', onDeepLink() {} } }), undefined);
  });
});
