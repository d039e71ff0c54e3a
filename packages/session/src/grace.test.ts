import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RECONNECT_GRACE_MS, type RemotePermission } from '@beckon/protocol';
import { ReconnectGrace } from './grace.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const ALL: RemotePermission[] = ['view', 'control', 'file_transfer', 'system_info'];
const A = { userId: 'user-a', name: 'Sam' };
const B = { userId: 'user-b', name: 'Sam' };
const decide = (g: ReconnectGrace, asked: RemotePermission[], agent = A) => g.decide(agent, asked, ALL).kind;

test('a dropped agent coming back within the window with a subset is admitted without a prompt', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now });
  grace.granted(A.userId, ['view', 'control', 'file_transfer']);
  c.advance(60_000); // a long session before the drop does not count against the window
  grace.dropped();
  c.advance(RECONNECT_GRACE_MS - 1);
  assert.deepEqual(grace.decide(A, ['view', 'control'], ALL), {
    kind: 'admit',
    permissions: ['view', 'control'],
    reason: 'grace',
  });
  // Admitting narrowed the grant: the next drop cannot win back file_transfer.
  assert.deepEqual(grace.held?.permissions, ['view', 'control']);
  grace.dropped();
  assert.equal(decide(grace, ['view', 'file_transfer']), 'ask');
});

test('the window is measured from the first drop and is exact at the boundary', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now });
  grace.granted(A.userId, ['view']);
  grace.dropped();
  c.advance(10_000);
  grace.dropped(); // a second report of the same drop does not extend the window
  c.advance(RECONNECT_GRACE_MS - 10_000);
  assert.equal(decide(grace, ['view']), 'admit', 'exactly at the limit is still inside');

  grace.dropped();
  c.advance(RECONNECT_GRACE_MS + 1);
  assert.equal(decide(grace, ['view']), 'ask');
  assert.equal(grace.held, null, 'an expired grant is forgotten');
});

test('no grace for another user (even with the same name), without a drop, after revoke', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now });
  assert.equal(decide(grace, ['view']), 'ask');
  grace.granted(A.userId, ['view', 'control']);
  assert.equal(decide(grace, ['view']), 'ask', 'not dropped');
  grace.dropped();
  assert.equal(decide(grace, ['view'], { userId: 'user-b', name: A.name }), 'ask');
  assert.equal(decide(grace, ['view', 'control', 'system_info']), 'ask');
  grace.recovered();
  assert.equal(decide(grace, ['view']), 'ask', 'recovered');
  grace.dropped();
  grace.revoke();
  assert.equal(decide(grace, ['view']), 'ask', 'revoked');
  assert.deepEqual(grace.decide(A, ['view'], ['control']), { kind: 'deny', reason: 'beyond_request' });
});

test('a drop without any grant starts nothing; a fresh grant clears an old drop', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now, graceMs: 5000 });
  grace.dropped();
  assert.equal(grace.droppedAt, null);
  grace.granted(A.userId, ['view']);
  grace.dropped();
  assert.equal(grace.droppedAt, c.now());
  grace.granted(A.userId, ['view']);
  assert.equal(grace.droppedAt, null);
  grace.dropped();
  c.advance(5001);
  assert.equal(decide(grace, ['view']), 'ask');
});

test('a grant the host holds is weighed by the policy: it admits its own agent inside its window only', () => {
  let now = 1_000_000;
  const grace = new ReconnectGrace({ now: () => now });
  const window = {
    startsAtMs: now - 1000,
    duration: { kind: 'days' as const, days: 1 },
    daily: null,
    timeZone: 'UTC',
  };
  const grant = { kind: 'unattended' as const, agentId: A.userId, permissions: ALL, window };
  assert.equal(grace.decide(B, ['view'], ALL, grant).kind, 'ask', 'another agent is asked');
  now += 2 * 86_400_000;
  assert.equal(grace.decide(A, ['view'], ALL, grant).kind, 'ask', 'after the window: asked');
  assert.equal(grace.held, null, 'asking grants nothing');
  now -= 2 * 86_400_000;
  const admitted = grace.decide(A, ['view'], ALL, grant);
  assert.deepEqual(admitted, { kind: 'admit', permissions: ['view'], reason: 'grant' });
});
