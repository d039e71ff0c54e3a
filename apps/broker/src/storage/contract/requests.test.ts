import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { transitionRules } from '../../domain/transition-rules.ts';
import type { TransitionRules } from '../helpdesk-types.ts';
import { contract } from './harness.ts';
import { at, createdEvent, newMail, requestRecord, seedOrg, seedRequest } from './seed.ts';

const agent = { type: 'user' as const, id: 'agent-1', name: 'Alex Agent' };
const client = { type: 'client' as const, id: null, name: null };
const meta = (s: number, actor: typeof agent | typeof client = agent, reason: string | null = null) => ({
  at: at(s),
  actor,
  reason,
});

contract(
  'requests: create, read back, and a live code taken twice is refused with nothing written',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const r = requestRecord(org.id);
    assert.equal(
      await storage.requests.create(r, [createdEvent(r)], [newMail(org.id, { requestId: r.id })]),
      true,
    );
    assert.deepEqual(await storage.requests.get(org.id, r.id), r);
    assert.equal(await storage.requests.get(randomUUID(), r.id), null, 'another organisation sees nothing');
    assert.deepEqual(await storage.requests.findById(r.id), r);
    assert.equal((await storage.requests.events(r.id))[0]?.kind, 'created');
    assert.equal((await storage.outbox.list(org.id, 10)).length, 1);

    const twin = requestRecord(org.id, { code: r.code });
    assert.equal(await storage.requests.create(twin, [createdEvent(twin)], [newMail(org.id)]), false);
    assert.equal(await storage.requests.findById(twin.id), null);
    assert.deepEqual(await storage.requests.events(twin.id), []);
    assert.equal((await storage.outbox.list(org.id, 10)).length, 1, 'the refused create queued no mail');
  },
);

contract(
  'requests: many creates at once (written together where the backend batches): each taken code refused alone',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const live = requestRecord(org.id);
    assert.equal(await storage.requests.create(live, [createdEvent(live)], []), true);
    const fresh = Array.from({ length: 12 }, () => requestRecord(org.id));
    const taken = Array.from({ length: 4 }, () => requestRecord(org.id, { code: live.code }));
    const twins = [0, 1].map(() => requestRecord(org.id, { code: fresh[0]!.code.replace(/.$/, 'x') }));
    const all = [...fresh, ...taken, ...twins];
    const results = await Promise.all(
      all.map((r) =>
        storage.requests.create(
          r,
          [createdEvent(r)],
          [newMail(org.id, { requestId: r.id, to: `${r.id}@x.test` })],
        ),
      ),
    );
    assert.deepEqual(results.slice(0, 12), Array(12).fill(true));
    assert.deepEqual(results.slice(12, 16), Array(4).fill(false));
    assert.equal(results.slice(16).filter(Boolean).length, 1, 'of two new twins, exactly one');
    for (const [i, r] of all.entries()) {
      const made = results[i]!;
      assert.equal((await storage.requests.findById(r.id)) !== null, made, r.id);
      assert.equal((await storage.requests.events(r.id)).length, made ? 1 : 0);
    }
    const mails = await storage.outbox.list(org.id, 100);
    assert.deepEqual(
      mails.map((m) => m.to).sort(),
      all
        .filter((_, i) => results[i])
        .map((r) => `${r.id}@x.test`)
        .sort(),
      'a refused create queued no mail; every created one its own',
    );
  },
);

contract(
  'requests: lookups by code, legacy token hash, ids; lists by filter and cursor',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const a = await seedRequest(storage, org.id, { recipientName: 'Ann_a', createdAt: at(1) });
    const b = await seedRequest(storage, org.id, { legacyTokenHash: 'h'.repeat(64), createdAt: at(2) });
    const c = await seedRequest(storage, org.id, {
      assigneeType: 'agent',
      assigneeId: agent.id,
      scheduledAt: at(7200),
      createdAt: at(3),
    });
    assert.equal((await storage.requests.findLiveByCode(a.code, at(10)))?.id, a.id);
    assert.equal(await storage.requests.findLiveByCode(a.code, at(4000)), null, 'not after its expiry');
    assert.equal((await storage.requests.findByLegacyTokenHash('h'.repeat(64)))?.id, b.id);
    assert.deepEqual(
      (await storage.requests.getMany(org.id, [a.id, c.id])).map((r) => r.id).sort(),
      [a.id, c.id].sort(),
    );
    assert.deepEqual(await storage.requests.getMany(org.id, []), []);

    const base = { orgId: org.id, now: at(10), limit: 10 };
    const ids = async (f: Partial<Parameters<typeof storage.requests.listVersions>[0]>) =>
      (await storage.requests.listVersions({ ...base, ...f })).map((v) => v.id);
    assert.deepEqual(await ids({}), [c.id, b.id, a.id], 'newest first');
    assert.deepEqual(await ids({ q: '_a' }), [a.id], 'wildcards in the needle are literal');
    assert.deepEqual(await ids({ assigneeIds: [agent.id] }), [c.id]);
    assert.deepEqual(await ids({ unassigned: true }), [b.id, a.id]);
    assert.deepEqual(await ids({ when: 'upcoming' }), [c.id]);
    assert.deepEqual(await ids({ statuses: ['closed'] }), []);
    assert.deepEqual(await ids({ limit: 1, cursor: { createdAt: c.createdAt, id: c.id } }), [b.id]);
    const [v] = await storage.requests.listVersions({ ...base, limit: 1 });
    assert.deepEqual(v, {
      id: c.id,
      version: 0,
      createdAt: c.createdAt,
      assigneeType: 'agent',
      assigneeId: agent.id,
    });
  },
);

contract(
  'requests: applyEvent runs the state machine; refusals name the status and change nothing',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const r = await seedRequest(storage, org.id);
    const rules = transitionRules();
    assert.deepEqual(
      await storage.requests.applyEvent(org.id, randomUUID(), 'client_joined', meta(2), rules),
      {
        ok: false,
        reason: 'not_found',
      },
    );
    const joined = await storage.requests.applyEvent(org.id, r.id, 'client_joined', meta(2, client), rules);
    assert.ok(
      joined.ok && joined.changed && joined.record.status === 'waiting' && joined.record.version === 1,
    );
    const again = await storage.requests.applyEvent(org.id, r.id, 'client_joined', meta(3, client), rules);
    assert.ok(
      again.ok && !again.changed && again.record.version === 1,
      'a legal event that keeps the status',
    );
    const illegal = await storage.requests.applyEvent(org.id, r.id, 'peer_connected', meta(4), rules);
    assert.deepEqual(illegal, { ok: false, reason: 'illegal', status: 'waiting' });
    const events = await storage.requests.events(r.id);
    assert.deepEqual(
      events.map((e) => [e.kind, e.fromStatus, e.toStatus]),
      [
        ['created', null, 'open'],
        ['client_joined', 'open', 'waiting'],
        ['client_joined', 'waiting', 'waiting'],
      ],
    );
    const closed = await storage.requests.applyEvent(org.id, r.id, 'closed', meta(5), rules);
    assert.ok(closed.ok && closed.record.closedAt === at(5));
    assert.equal((await storage.requests.get(org.id, r.id))?.closedAt, at(5));
  },
);

contract(
  'requests: the rows the rules decide (mails, session records, webhooks, audit) commit with the change',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const r = await seedRequest(storage, org.id);
    await storage.webhooks.create({
      id: randomUUID(),
      orgId: org.id,
      url: 'https://hooks.example.com/beckon',
      events: ['session.started'],
      description: null,
      secretSalt: 'salt',
      active: true,
      signing: 'both',
      createdAt: at(0),
      updatedAt: at(0),
    });
    const sessionId = randomUUID();
    const rules: TransitionRules = {
      next: transitionRules().next,
      effects: (t, ctx) => ({
        mails:
          t.event === 'client_joined' ? [newMail(org.id, { requestId: t.record.id, kind: 'joined' })] : [],
        openSession:
          t.event === 'client_joined'
            ? {
                id: sessionId,
                orgId: org.id,
                requestId: t.record.id,
                startedAt: t.at,
                agentId: ctx.lastConnect?.id ?? null,
                agentName: null,
                connection: 'direct',
              }
            : null,
        closeSessions:
          t.event === 'closed'
            ? ctx.sessions.map((s) => ({ id: s.id, endedAt: t.at, outcome: 'closed', durationMs: 5000 }))
            : [],
        webhooks:
          t.event === 'client_joined'
            ? [
                {
                  orgId: org.id,
                  requestId: t.record.id,
                  chain: t.record.id,
                  eventId: randomUUID(),
                  type: 'session.started',
                  occurredAt: t.at,
                  payload: '{"x":1}',
                },
              ]
            : [],
        audit: [
          {
            orgId: org.id,
            actor: { type: 'system', id: null, name: null },
            action: 'session.started' as never,
            target: null,
            details: {},
            ip: null,
            at: t.at,
          },
        ],
      }),
    };
    const before = (await storage.audit.head()).seq;
    await storage.requests.applyEvent(org.id, r.id, 'client_joined', meta(2, client), rules);
    assert.deepEqual(
      (await storage.outbox.list(org.id, 10)).map((m) => m.kind),
      ['joined'],
    );
    const [s] = await storage.sessions.ofRequest(r.id);
    assert.equal(s?.id, sessionId);
    assert.equal(s?.endedAt, null);
    assert.equal((await storage.audit.head()).seq, before + 1);
    const hooks = await storage.webhooks.list(org.id);
    assert.equal((await storage.webhooks.deliveries(org.id, hooks[0]!.id, undefined, 10)).length, 1);

    await storage.requests.applyEvent(org.id, r.id, 'closed', meta(7), rules);
    const [ended] = await storage.sessions.ofRequest(r.id);
    assert.equal(ended?.endedAt, at(7));
    assert.equal(ended?.outcome, 'closed');
    assert.equal(ended?.durationMs, 5000);
  },
);

contract('requests: a write failing inside applyEvent rolls the whole change back', async ({ storage }) => {
  const { org } = await seedOrg(storage);
  const r = await seedRequest(storage, org.id);
  const throwing: TransitionRules = {
    next: transitionRules().next,
    effects: () => {
      throw new Error('the rules failed');
    },
  };
  await assert.rejects(storage.requests.applyEvent(org.id, r.id, 'client_joined', meta(2, client), throwing));
  // A row the database refuses: a second session record with the id of the first.
  const sessionId = randomUUID();
  const opening: TransitionRules = {
    next: transitionRules().next,
    effects: (t) => ({
      mails: [newMail(org.id, { requestId: r.id })],
      openSession: {
        id: sessionId,
        orgId: org.id,
        requestId: r.id,
        startedAt: t.at,
        agentId: null,
        agentName: null,
        connection: null,
      },
      closeSessions: [],
      webhooks: [],
      audit: [],
    }),
  };
  const first = await storage.requests.applyEvent(org.id, r.id, 'client_joined', meta(3, client), opening);
  assert.ok(first.ok);
  await assert.rejects(storage.requests.applyEvent(org.id, r.id, 'connect_requested', meta(4), opening));
  const after = await storage.requests.get(org.id, r.id);
  assert.equal(after?.status, 'waiting');
  assert.equal(after?.version, 1);
  assert.equal((await storage.requests.events(r.id)).length, 2, 'no event row left behind');
  assert.equal((await storage.outbox.list(org.id, 10)).length, 1, 'no mail left behind');
  assert.equal((await storage.sessions.ofRequest(r.id)).length, 1);
});

contract('requests: update, addEventAndMails, dueForExpiry, withClient', async ({ storage }) => {
  const { org } = await seedOrg(storage);
  const r = await seedRequest(storage, org.id, { expiresAt: at(60) });
  const later = await seedRequest(storage, org.id, { expiresAt: at(600) });
  const event = {
    at: at(5),
    kind: 'updated' as const,
    fromStatus: null,
    toStatus: null,
    actor: agent,
    reason: 'note',
  };
  const updated = await storage.requests.update(
    org.id,
    r.id,
    { comment: 'call back', assigneeType: 'queue', assigneeId: 'q1' },
    event,
  );
  assert.equal(updated?.comment, 'call back');
  assert.equal(updated?.version, 1);
  assert.deepEqual(await storage.requests.get(org.id, r.id), updated);
  assert.equal(await storage.requests.update(org.id, randomUUID(), { comment: 'x' }, event), null);

  await storage.requests.addEventAndMails(r.id, { ...event, kind: 'invite_queued' }, [
    newMail(org.id, { requestId: r.id }),
  ]);
  await storage.requests.addEventAndMails(r.id, null, [newMail(org.id, { requestId: r.id })]);
  assert.equal((await storage.requests.events(r.id)).at(-1)?.kind, 'invite_queued');
  assert.equal((await storage.outbox.list(org.id, 10)).length, 2);

  assert.deepEqual(await storage.requests.dueForExpiry(at(120), 10), [{ orgId: org.id, id: r.id }]);
  assert.equal((await storage.requests.dueForExpiry(at(1000), 1)).length, 1, 'the limit holds');
  await storage.requests.applyEvent(org.id, later.id, 'client_joined', meta(6, client), transitionRules());
  assert.deepEqual(await storage.requests.withClient(), [{ orgId: org.id, id: later.id, status: 'waiting' }]);
});

contract('requests: two brokers applying events to one request: exactly one transition wins', async (db) => {
  const { org } = await seedOrg(db.storage);
  const other = await db.another();
  const rules = transitionRules();
  for (let round = 0; round < 10; round++) {
    const r = await seedRequest(db.storage, org.id);
    // Both close at once: closed is final, so the second must meet the state machine's refusal.
    const outcomes = await Promise.all([
      db.storage.requests.applyEvent(org.id, r.id, 'closed', meta(10), rules),
      other.requests.applyEvent(org.id, r.id, 'closed', meta(10), rules),
    ]);
    assert.equal(outcomes.filter((o) => o.ok).length, 1, `round ${round}: one wins`);
    assert.deepEqual(
      outcomes.find((o) => !o.ok),
      { ok: false, reason: 'illegal', status: 'closed' },
    );
    const events = await other.requests.events(r.id);
    assert.equal(events.filter((e) => e.kind === 'closed').length, 1);
    assert.equal((await db.storage.requests.get(org.id, r.id))?.version, 1);
  }
});
