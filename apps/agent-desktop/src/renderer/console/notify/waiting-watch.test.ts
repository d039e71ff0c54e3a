import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SessionRequestSummary } from '@beckon/protocol';
import { ME, MY_DEVICE, OTHER, QUEUE, summary } from '../testing/request-fixtures.ts';
import { createWaitingWatch, isMine } from './waiting-watch.ts';

const me = {
  userId: ME,
  deviceIds: new Set([MY_DEVICE]),
  queues: [{ id: QUEUE, name: 'Q', memberIds: [ME], createdAt: '2030-01-01T00:00:00.000Z' }],
};
const on = { enabled: true, includeQueues: false };
const frame = (request: SessionRequestSummary) => ({
  type: 'request_changed' as const,
  change: 'status' as const,
  request,
});

describe('isMine', () => {
  it('covers me, my devices, what I created unassigned, and my queues when asked', () => {
    assert.ok(isMine(summary(), me, false));
    assert.ok(isMine(summary({ assignee: { type: 'device', id: MY_DEVICE, name: 'd' } }), me, false));
    assert.ok(isMine(summary({ assignee: { type: 'unassigned', id: null, name: null } }), me, false));
    const queued = summary({ assignee: { type: 'queue', id: QUEUE, name: 'Q' } });
    assert.ok(!isMine(queued, me, false));
    assert.ok(isMine(queued, me, true));
    assert.ok(!isMine(summary({ assignee: { type: 'agent', id: OTHER, name: 'o' } }), me, true));
  });
});

describe('waiting watch', () => {
  it('announces my request turning waiting, once', () => {
    const watch = createWaitingWatch();
    assert.equal(watch.decide(frame(summary()), me, on), null);
    const waiting = summary({ status: 'waiting' });
    assert.equal(watch.decide(frame(waiting), me, on)?.id, waiting.id);
    assert.equal(watch.decide(frame(waiting), me, on), null);
  });

  it('stays quiet when a session ends back to waiting, when off, or for others', () => {
    const watch = createWaitingWatch();
    watch.decide(frame(summary({ status: 'in_session' })), me, on);
    assert.equal(watch.decide(frame(summary({ status: 'waiting' })), me, on), null);
    assert.equal(
      createWaitingWatch().decide(frame(summary({ status: 'waiting' })), me, { ...on, enabled: false }),
      null,
    );
    const other = summary({ status: 'waiting', assignee: { type: 'agent', id: OTHER, name: 'o' } });
    assert.equal(createWaitingWatch().decide(frame(other), me, on), null);
    assert.equal(createWaitingWatch().decide({ type: 'pong', t: 1 }, me, on), null);
  });

  it('forgets the oldest requests beyond its limit', () => {
    const watch = createWaitingWatch(2);
    watch.decide(frame(summary({ n: 1, status: 'in_session' })), me, on);
    watch.decide(frame(summary({ n: 2 })), me, on);
    watch.decide(frame(summary({ n: 3 })), me, on);
    assert.ok(watch.decide(frame(summary({ n: 1, status: 'waiting' })), me, on));
  });
});
