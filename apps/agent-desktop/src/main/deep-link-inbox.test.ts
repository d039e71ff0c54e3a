import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DeepLink } from '../shared/ipc.ts';
import { createDeepLinkInbox } from './deep-link-inbox.ts';

const link = (n: number): DeepLink => ({
  kind: 'request',
  requestId: `00000000-0000-4000-8000-00000000000${n}`,
});

describe('createDeepLinkInbox', () => {
  it('queues links until the renderer takes them, then pushes', () => {
    const pushed: DeepLink[] = [];
    const inbox = createDeepLinkInbox((l) => pushed.push(l));
    inbox.receive(link(1));
    inbox.receive(link(2));
    assert.deepEqual(pushed, []);
    assert.deepEqual(inbox.take(), [link(1), link(2)]);
    inbox.receive(link(3));
    assert.deepEqual(pushed, [link(3)]);
    assert.deepEqual(inbox.take(), []);
  });

  it('queues again after a reset (renderer reloaded)', () => {
    const pushed: DeepLink[] = [];
    const inbox = createDeepLinkInbox((l) => pushed.push(l));
    inbox.take();
    inbox.reset();
    inbox.receive(link(4));
    assert.deepEqual(pushed, []);
    assert.deepEqual(inbox.take(), [link(4)]);
  });

  it('keeps only the newest links when nobody listens', () => {
    const inbox = createDeepLinkInbox(() => {}, 2);
    for (const n of [1, 2, 3]) inbox.receive(link(n));
    assert.deepEqual(inbox.take(), [link(2), link(3)]);
  });
});
