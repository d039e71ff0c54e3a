import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizeSessions, type SessionRecord } from './helpdesk.ts';
import { SESSION_EVENTS, SESSION_STATUSES, transition } from './state-machine.ts';
import { sessionBoundary, webhookEventsFor, WebhookCreateSchema, WebhookEventSchema } from './webhooks.ts';

test('every legal transition emits the case events a helpdesk expects, and nothing else', () => {
  const seen = new Map<string, string[]>();
  for (const from of SESSION_STATUSES) {
    for (const event of SESSION_EVENTS) {
      const r = transition(from, event);
      if (!r.ok) continue;
      const out = webhookEventsFor({ event, from, to: r.status, changed: r.changed });
      if (out.length) seen.set(`${from} --${event}--> ${r.status}`, out);
    }
  }
  assert.deepEqual(Object.fromEntries(seen), {
    'open --client_joined--> waiting': ['customer.joined'],
    'open --closed--> closed': ['case.closed'],
    'open --expired--> expired': ['case.expired'],
    'waiting --closed--> closed': ['case.closed'],
    'waiting --expired--> expired': ['case.expired'],
    'ready --peer_connected--> in_session': ['session.started'],
    'ready --closed--> closed': ['case.closed'],
    'ready --expired--> expired': ['case.expired'],
    'in_session --session_ended--> waiting': ['session.ended'],
    'in_session --closed--> closed': ['session.ended', 'case.closed'],
    'in_session --expired--> expired': ['session.ended', 'case.expired'],
  });
  assert.equal(sessionBoundary('in_session', 'in_session'), null);
});

test('session summaries count running sessions but only finished durations', () => {
  const s = (startedAt: string, endedAt: string | null): SessionRecord => ({
    id: '00000000-0000-4000-8000-000000000001',
    requestId: '00000000-0000-4000-8000-000000000002',
    startedAt,
    endedAt,
    durationMs: endedAt ? Date.parse(endedAt) - Date.parse(startedAt) : null,
    durationSec: null,
    agent: { id: null, name: null },
    connection: null,
    outcome: null,
  });
  assert.deepEqual(
    summarizeSessions([
      s('2026-03-01T10:00:00.000Z', '2026-03-01T10:01:01.500Z'),
      s('2026-03-01T11:00:00.000Z', null),
    ]),
    {
      sessionCount: 2,
      totalDurationMs: 61_500,
      totalDurationSec: 62,
      firstStartedAt: '2026-03-01T10:00:00.000Z',
      lastEndedAt: '2026-03-01T10:01:01.500Z',
    },
  );
});

test('webhook bodies: URLs must be absolute http(s) without credentials; events parse strictly', () => {
  const ok = (url: string) => WebhookCreateSchema.safeParse({ url, events: ['case.closed'] }).success;
  assert.ok(ok('https://helpdesk.example/hooks'));
  assert.ok(!ok('javascript:alert(1)'));
  assert.ok(!ok('https://user:pw@helpdesk.example/'));
  assert.ok(!ok('/relative'));
  assert.ok(!WebhookCreateSchema.safeParse({ url: 'https://x.example', events: [] }).success);
  assert.ok(
    !WebhookCreateSchema.safeParse({ url: 'https://x.example', events: ['case.closed', 'case.closed'] })
      .success,
  );
  assert.ok(!WebhookEventSchema.safeParse({ type: 'case.created' }).success);
});
