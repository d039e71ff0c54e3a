import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AssistSignalMessageSchema, RECONNECT_GRACE_MS, parseWith } from '@beckon/protocol';
import { ReconnectGrace } from './grace.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

test('a dropped agent coming back within the window with a subset is admitted without a prompt', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now });
  grace.granted('agent-1', ['view', 'control', 'file_transfer']);
  c.advance(60_000); // a long session before the drop does not count against the window
  grace.dropped();
  c.advance(RECONNECT_GRACE_MS - 1);
  const decision = grace.check('agent-1', ['view', 'control']);
  assert.ok(decision.admit);
  assert.deepEqual(decision.permissions, ['view', 'control']);
  assert.deepEqual(decision.consent, {
    type: 'consent',
    granted: true,
    permissions: ['view', 'control'],
    reason: 'grace',
  });
  assert.ok(
    parseWith(AssistSignalMessageSchema, decision.consent).ok,
    'the consent frame is valid on the wire',
  );
  // Admitting narrowed the grant: the next drop cannot win back file_transfer.
  assert.deepEqual(grace.grant?.permissions, ['view', 'control']);
  grace.dropped();
  assert.deepEqual(grace.check('agent-1', ['view', 'file_transfer']), {
    admit: false,
    reason: 'wider_permissions',
  });
});

test('the window is measured from the first drop and is exact at the boundary', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now });
  grace.granted('a', ['view']);
  grace.dropped();
  c.advance(10_000);
  grace.dropped(); // a second report of the same drop does not extend the window
  c.advance(RECONNECT_GRACE_MS - 10_000);
  assert.equal(grace.check('a', ['view']).admit, true, 'exactly at the limit is still inside');

  grace.dropped();
  c.advance(RECONNECT_GRACE_MS + 1);
  assert.deepEqual(grace.check('a', ['view']), { admit: false, reason: 'expired' });
  assert.equal(grace.grant, null, 'an expired grant is forgotten');
  assert.deepEqual(grace.check('a', ['view']), { admit: false, reason: 'no_grant' });
});

test('no grace for another agent, without a drop, after revoke, or with wider permissions', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now });
  assert.deepEqual(grace.check('a', ['view']), { admit: false, reason: 'no_grant' });
  grace.granted('a', ['view', 'control']);
  assert.deepEqual(grace.check('a', ['view']), { admit: false, reason: 'not_dropped' });
  grace.dropped();
  assert.deepEqual(grace.check('b', ['view']), { admit: false, reason: 'other_agent' });
  assert.deepEqual(grace.check('a', ['view', 'control', 'system_info']), {
    admit: false,
    reason: 'wider_permissions',
  });
  grace.recovered();
  assert.deepEqual(grace.check('a', ['view']), { admit: false, reason: 'not_dropped' });
  grace.dropped();
  grace.revoke();
  assert.deepEqual(grace.check('a', ['view']), { admit: false, reason: 'no_grant' });
});

test('a drop without any grant starts nothing; a fresh grant clears an old drop', () => {
  const c = clock();
  const grace = new ReconnectGrace({ now: c.now, graceMs: 5000 });
  grace.dropped();
  assert.equal(grace.droppedAt, null);
  grace.granted('a', ['view']);
  grace.dropped();
  assert.equal(grace.droppedAt, c.now());
  grace.granted('a', ['view']);
  assert.equal(grace.droppedAt, null);
  grace.dropped();
  c.advance(5001);
  assert.equal(grace.check('a', ['view']).admit, false);
});
