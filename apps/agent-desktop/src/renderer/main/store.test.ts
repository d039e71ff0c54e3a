import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepLink, DesktopApi } from '../../shared/ipc.ts';
import { desktopBridge } from './bridge.ts';
import { connectBridge, createAppStore } from './store.ts';

function fakeBridge(): DesktopApi & { emit(link: DeepLink): void } {
  const listeners = new Set<(link: DeepLink) => void>();
  return {
    platform: 'linux',
    onDeepLink(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(link) {
      for (const listener of listeners) listener(link);
    },
  };
}

describe('app store', () => {
  it('runs as the web console without a preload bridge', () => {
    const store = createAppStore(desktopBridge({}));
    assert.equal(store.getState().shell, 'browser');
    assert.equal(store.getState().platform, null);
    assert.doesNotThrow(() => connectBridge(store, undefined)());
  });

  it('rejects an empty sign-in form and never pretends to sign in', () => {
    const store = createAppStore(undefined);
    store.getState().submitSignIn({ email: ' ', password: 'x' });
    assert.equal(store.getState().signIn.status, 'invalid');
    store.getState().submitSignIn({ email: 'agent@example.com', password: 'secret' });
    assert.equal(store.getState().signIn.status, 'unavailable');
  });

  it('opens the request of a deep link until disconnected', () => {
    const bridge = fakeBridge();
    const store = createAppStore(desktopBridge({ beckon: bridge }));
    assert.equal(store.getState().shell, 'desktop');
    assert.equal(store.getState().platform, 'linux');
    const disconnect = connectBridge(store, bridge);
    bridge.emit({ kind: 'request', requestId: 'a' });
    assert.equal(store.getState().openRequestId, 'a');
    disconnect();
    bridge.emit({ kind: 'request', requestId: 'b' });
    assert.equal(store.getState().openRequestId, 'a');
  });

  it('ignores a malformed bridge object', () => {
    assert.equal(desktopBridge({ beckon: { platform: 1 } }), undefined);
  });
});
