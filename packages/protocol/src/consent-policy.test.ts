import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideConsent, narrowToAsked, type ConsentDecision, type HeldConsent } from './consent-policy.ts';
import type { RemotePermission } from './permissions.ts';
import { RECONNECT_GRACE_MS } from './signaling.ts';

const NOW = 10_000_000;
const ALL: RemotePermission[] = ['view', 'control', 'file_transfer', 'system_info'];
const A = { userId: 'user-a', name: 'Sam' };
const B_SAME_NAME = { userId: 'user-b', name: 'Sam' };
const B = { userId: 'user-b', name: 'Kim' };

const held = (over: Partial<HeldConsent> = {}): HeldConsent => ({
  agentId: A.userId,
  permissions: ['view', 'control'],
  droppedAtMs: NOW - 1000,
  ...over,
});
const ASK: ConsentDecision = { kind: 'ask' };
const admit = (permissions: RemotePermission[]): ConsentDecision => ({
  kind: 'admit',
  permissions,
  reason: 'grace',
});
const BEYOND: ConsentDecision = { kind: 'deny', reason: 'beyond_request' };

// Every input the policy reads, one row each: who asks, for what, what the
// request offered, what is held, and what must come out.
const TABLE: [string, Parameters<typeof decideConsent>[0], ConsentDecision][] = [
  ['nothing held: ask', { agent: A, asked: ['view'], offered: ALL, held: null, nowMs: NOW }, ASK],
  [
    'beyond what the request offered: deny without asking',
    { agent: A, asked: ['view', 'control'], offered: ['view'], held: null, nowMs: NOW },
    BEYOND,
  ],
  [
    'beyond the request even for the allowed agent in grace',
    { agent: A, asked: ['view', 'system_info'], offered: ['view', 'control'], held: held(), nowMs: NOW },
    BEYOND,
  ],
  [
    'the allowed agent back within the window, same permissions: admit',
    { agent: A, asked: ['view', 'control'], offered: ALL, held: held(), nowMs: NOW },
    admit(['view', 'control']),
  ],
  [
    'the allowed agent back with fewer permissions: admit with fewer',
    { agent: A, asked: ['view'], offered: ALL, held: held(), nowMs: NOW },
    admit(['view']),
  ],
  [
    'the allowed agent back with more permissions: ask',
    { agent: A, asked: ['view', 'control', 'file_transfer'], offered: ALL, held: held(), nowMs: NOW },
    ASK,
  ],
  [
    'the allowed agent exactly at the end of the window: admit',
    {
      agent: A,
      asked: ['view'],
      offered: ALL,
      held: held({ droppedAtMs: NOW - RECONNECT_GRACE_MS }),
      nowMs: NOW,
    },
    admit(['view']),
  ],
  [
    'the allowed agent after the window: ask',
    {
      agent: A,
      asked: ['view'],
      offered: ALL,
      held: held({ droppedAtMs: NOW - RECONNECT_GRACE_MS - 1 }),
      nowMs: NOW,
    },
    ASK,
  ],
  [
    'a shorter window the broker was configured with',
    {
      agent: A,
      asked: ['view'],
      offered: ALL,
      held: held({ droppedAtMs: NOW - 600 }),
      nowMs: NOW,
      graceMs: 500,
    },
    ASK,
  ],
  [
    'the allowed agent whose connection never dropped: ask (a second connection)',
    { agent: A, asked: ['view'], offered: ALL, held: held({ droppedAtMs: null }), nowMs: NOW },
    ASK,
  ],
  [
    'another user with the same display name, within the window: ask',
    { agent: B_SAME_NAME, asked: ['view'], offered: ALL, held: held(), nowMs: NOW },
    ASK,
  ],
  [
    'another user, within the window: ask',
    { agent: B, asked: ['view', 'control'], offered: ALL, held: held(), nowMs: NOW },
    ASK,
  ],
];

for (const [name, facts, expected] of TABLE) {
  test(`consent policy: ${name}`, () => {
    assert.deepEqual(decideConsent(facts), expected);
  });
}

test('an answer may narrow what was asked, never widen it; nothing left is a deny', () => {
  assert.deepEqual(narrowToAsked(['view', 'control'], undefined), ['view', 'control']);
  assert.deepEqual(narrowToAsked(['view', 'control'], ['view']), ['view']);
  assert.deepEqual(narrowToAsked(['view'], ['view', 'control', 'file_transfer']), ['view']);
  assert.equal(narrowToAsked(['view'], []), null);
});
