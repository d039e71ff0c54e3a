import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SESSION_EVENTS,
  SESSION_STATUSES,
  transition,
  type SessionEvent,
  type SessionStatus,
} from './state-machine.ts';

// The expected machine, written out in full and independently of the
// implementation's table: one row per status, one column per event. `-` is illegal.
const EVENTS = [
  'client_joined',
  'client_left',
  'connect_requested',
  'consent_granted',
  'consent_denied',
  'peer_connected',
  'session_ended',
  'closed',
  'expired',
] as const;
// prettier-ignore
const EXPECTED: Record<SessionStatus, (SessionStatus | '-')[]> = {
  //           joined     left    connect     granted  denied     peer_conn     ended      closed    expired
  open:       ['waiting', '-',    '-',        '-',     '-',       '-',          '-',       'closed', 'expired'],
  waiting:    ['waiting', 'open', 'waiting',  'ready', 'waiting', '-',          '-',       'closed', 'expired'],
  ready:      ['ready',   'open', 'ready',    'ready', 'ready',   'in_session', 'waiting', 'closed', 'expired'],
  in_session: ['-',       '-',    'in_session', '-',   'in_session', '-',        'waiting', 'closed', 'expired'],
  closed:     ['-',       '-',    '-',        '-',     '-',       '-',          '-',       '-',      '-'],
  expired:    ['-',       '-',    '-',        '-',     '-',       '-',          '-',       '-',      '-'],
};

test('the expected table covers every status and event', () => {
  assert.deepEqual([...EVENTS].sort(), [...SESSION_EVENTS].sort());
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...SESSION_STATUSES].sort());
});

for (const from of SESSION_STATUSES) {
  EVENTS.forEach((event, column) => {
    const expected = EXPECTED[from][column];
    test(`${from} + ${event} → ${expected}`, () => {
      const result = transition(from, event as SessionEvent);
      if (expected === '-') {
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.equal(result.error.code, 'illegal_transition');
          assert.equal(result.error.from, from);
          assert.equal(result.error.event, event);
          assert.ok(result.error.message.length > 0);
        }
      } else {
        assert.deepEqual(result, { ok: true, status: expected, changed: expected !== from });
      }
    });
  });
}

test('an unknown status or event is an error, not an exception', () => {
  const r1 = transition('bogus' as SessionStatus, 'closed');
  const r2 = transition('open', 'bogus' as SessionEvent);
  assert.equal(r1.ok, false);
  assert.equal(r2.ok, false);
});
