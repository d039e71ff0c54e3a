import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decideConsent,
  grantApplies,
  narrowToAsked,
  type ConsentDecision,
  type HeldConsent,
} from './consent-policy.ts';
import type { ConsentGrant } from './consent-grant.ts';
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
const grant = (over: Partial<ConsentGrant> = {}): ConsentGrant => ({
  kind: 'unattended',
  agentId: A.userId,
  permissions: ['view', 'control'],
  window: { startsAtMs: NOW - 1000, duration: { kind: 'days', days: 1 }, daily: null, timeZone: 'UTC' },
  // An ad-hoc grant always has its session's end; an unattended one ends by its window.
  ...(over.kind === 'ad_hoc' ? { notAfterMs: NOW + 3_600_000 } : {}),
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
  [
    'nothing held: ask',
    { agent: A, asked: ['view'], offered: ALL, held: null, nowMs: NOW, grant: null },
    ASK,
  ],
  [
    'beyond what the request offered: deny without asking',
    { agent: A, asked: ['view', 'control'], offered: ['view'], held: null, nowMs: NOW, grant: null },
    BEYOND,
  ],
  [
    'beyond the request even for the allowed agent in grace',
    {
      agent: A,
      asked: ['view', 'system_info'],
      offered: ['view', 'control'],
      held: held(),
      nowMs: NOW,
      grant: null,
    },
    BEYOND,
  ],
  [
    'the allowed agent back within the window, same permissions: admit',
    { agent: A, asked: ['view', 'control'], offered: ALL, held: held(), nowMs: NOW, grant: null },
    admit(['view', 'control']),
  ],
  [
    'the allowed agent back with fewer permissions: admit with fewer',
    { agent: A, asked: ['view'], offered: ALL, held: held(), nowMs: NOW, grant: null },
    admit(['view']),
  ],
  [
    'the allowed agent back with more permissions: ask',
    {
      agent: A,
      asked: ['view', 'control', 'file_transfer'],
      offered: ALL,
      held: held(),
      nowMs: NOW,
      grant: null,
    },
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
      grant: null,
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
      grant: null,
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
      grant: null,
    },
    ASK,
  ],
  [
    'the allowed agent whose connection never dropped: ask (a second connection)',
    { agent: A, asked: ['view'], offered: ALL, held: held({ droppedAtMs: null }), nowMs: NOW, grant: null },
    ASK,
  ],
  [
    'another user with the same display name, within the window: ask',
    { agent: B_SAME_NAME, asked: ['view'], offered: ALL, held: held(), nowMs: NOW, grant: null },
    ASK,
  ],
  [
    'another user, within the window: ask',
    { agent: B, asked: ['view', 'control'], offered: ALL, held: held(), nowMs: NOW, grant: null },
    ASK,
  ],
  // Grants: an unattended grant admits its agent inside its window (UA7); ad-hoc until its end (AH8).
  [
    'an unattended grant for this agent, within its window and permissions: admit by the grant',
    { agent: A, asked: ['view'], offered: ALL, held: null, nowMs: NOW, grant: grant() },
    { kind: 'admit', permissions: ['view'], reason: 'grant' },
  ],
  [
    'an unattended grant outside its window: ask',
    { agent: A, asked: ['view'], offered: ALL, held: null, nowMs: NOW + 2 * 86_400_000, grant: grant() },
    ASK,
  ],
  [
    'an unattended grant before its approval: ask',
    { agent: A, asked: ['view'], offered: ALL, held: null, nowMs: NOW - 5000, grant: grant() },
    ASK,
  ],
  [
    'an unattended grant asked beyond its permissions: ask',
    { agent: A, asked: ['view', 'file_transfer'], offered: ALL, held: null, nowMs: NOW, grant: grant() },
    ASK,
  ],
  [
    'an ad-hoc grant for this agent, in its time: admitted by the grant, nobody asked',
    { agent: A, asked: ['view'], offered: ALL, held: null, nowMs: NOW, grant: grant({ kind: 'ad_hoc' }) },
    { kind: 'admit', permissions: ['view'], reason: 'grant' },
  ],
  [
    'an ad-hoc grant past its end: ask',
    {
      agent: A,
      asked: ['view'],
      offered: ALL,
      held: null,
      nowMs: NOW,
      grant: grant({ kind: 'ad_hoc', notAfterMs: NOW - 1 }),
    },
    ASK,
  ],
  [
    'an ad-hoc grant for another user with the same name: ask',
    {
      agent: B_SAME_NAME,
      asked: ['view'],
      offered: ALL,
      held: null,
      nowMs: NOW,
      grant: grant({ kind: 'ad_hoc' }),
    },
    ASK,
  ],
  [
    'a grant never reaches beyond the request',
    { agent: A, asked: ['view', 'system_info'], offered: ['view'], held: null, nowMs: NOW, grant: grant() },
    BEYOND,
  ],
  [
    'a grant for another user with the same name: ask',
    { agent: B_SAME_NAME, asked: ['view'], offered: ALL, held: null, nowMs: NOW, grant: grant() },
    ASK,
  ],
  [
    'grace still admits with a grant present (the grant changes nothing)',
    { agent: A, asked: ['view'], offered: ALL, held: held(), nowMs: NOW, grant: grant() },
    admit(['view']),
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

test('grantApplies: unattended inside its window; ad-hoc until its end; none outside its agent, time or permissions', () => {
  assert.equal(grantApplies(grant(), A, ['view'], NOW), true);
  assert.equal(grantApplies(grant({ kind: 'ad_hoc' }), A, ['view'], NOW), true);
  // An ad-hoc grant with no end would be unattended access by another name.
  assert.equal(
    grantApplies({ ...grant({ kind: 'ad_hoc' }), notAfterMs: undefined }, A, ['view'], NOW),
    false,
  );
  for (const kind of ['unattended', 'ad_hoc'] as const) {
    assert.equal(grantApplies(grant({ kind }), B, ['view'], NOW), false);
    assert.equal(grantApplies(grant({ kind }), A, ['view'], NOW + 86_400_000), false);
    assert.equal(grantApplies(grant({ kind, notAfterMs: NOW - 1 }), A, ['view'], NOW), false);
    assert.equal(grantApplies(grant({ kind }), A, ['file_transfer'], NOW), false);
  }
});
