import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { transitionRules } from '../../domain/transition-rules.ts';
import { caseCreated } from '../../domain/webhook-events.ts';
import type { ApiTokenRecord } from '../helpdesk-types.ts';
import { contract } from './harness.ts';
import { at, auditDraft, createdEvent, newMail, requestRecord, seedOrg } from './seed.ts';

const ticket = { system: 'zendesk', ticketId: 'T-1' };

contract(
  'api tokens: create, by hash, open cases counted; revoke refused while cases are open unless forced',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    const t: ApiTokenRecord = {
      id: randomUUID(),
      orgId: org.id,
      name: 'Helpdesk',
      tokenHash: 'f'.repeat(64),
      prefix: 'bk_abc',
      scopes: ['service_cases:read', 'service_cases:write'],
      createdAt: at(0),
      createdBy: { type: 'user', id: null, name: 'Ada' },
      lastUsedAt: null,
      revokedAt: null,
    };
    await storage.apiTokens.create(t, [auditDraft(org.id, 1)]);
    assert.deepEqual(await storage.apiTokens.byHash(t.tokenHash), t);
    const r = requestRecord(org.id, { ticket });
    const info = { ...ticket, apiTokenId: t.id };
    assert.deepEqual(await storage.cases.create(r, info, [createdEvent(r)], [], []), { ok: true });
    assert.equal((await storage.apiTokens.get(org.id, t.id, at(10)))?.activeCases, 1);
    assert.equal(
      (await storage.apiTokens.list(org.id, at(7200)))[0]?.activeCases,
      0,
      'an expired case is not open',
    );
    assert.deepEqual(await storage.apiTokens.revoke(org.id, t.id, at(20), false), {
      revoked: false,
      openCaseIds: [r.id],
    });
    assert.equal((await storage.apiTokens.byHash(t.tokenHash))?.revokedAt, null);
    assert.deepEqual(await storage.apiTokens.revoke(org.id, t.id, at(21), true, [auditDraft(org.id, 2)]), {
      revoked: true,
      openCaseIds: [r.id],
    });
    assert.equal((await storage.apiTokens.byHash(t.tokenHash))?.revokedAt, at(21));
    assert.equal(await storage.apiTokens.revoke(randomUUID(), t.id, at(22), true), null);
    await storage.apiTokens.revoke(org.id, t.id, at(23), true, [auditDraft(org.id, 3)]);
    assert.equal((await storage.audit.head()).seq, 2, 'revoking a revoked token is no new act');

    const seen: (string | null)[] = [];
    const touch = (s: number) =>
      storage.apiTokens.touch(t.id, at(s), (last) => {
        seen.push(last);
        return last === null ? [auditDraft(org.id, 9)] : [];
      });
    await touch(30);
    await touch(31);
    assert.deepEqual(seen, [null, at(30)], 'the entries are decided from the previous use');
    assert.equal((await storage.apiTokens.byHash(t.tokenHash))?.lastUsedAt, at(31));
    assert.equal((await storage.audit.head()).seq, 3);
  },
);

contract(
  'cases: one open case per ticket; its case.created delivery commits with it; a taken code is refused',
  async ({ storage }) => {
    const { org } = await seedOrg(storage);
    await storage.webhooks.create({
      id: randomUUID(),
      orgId: org.id,
      url: 'https://hooks.example.com/',
      events: ['case.created'],
      description: null,
      secretSalt: 's',
      active: true,
      signing: 'both',
      createdAt: at(0),
      updatedAt: at(0),
    });
    const [w] = await storage.webhooks.list(org.id);
    const info = { ...ticket, apiTokenId: null };
    const r = requestRecord(org.id, { ticket });
    const mail = newMail(org.id, { requestId: r.id });
    assert.deepEqual(await storage.cases.create(r, info, [createdEvent(r)], [mail], [caseCreated(r)]), {
      ok: true,
    });
    assert.deepEqual(await storage.cases.get(org.id, r.id), { record: r, apiTokenId: null });
    assert.equal((await storage.webhooks.deliveries(org.id, w!.id, undefined, 10))[0]?.event, 'case.created');

    const second = requestRecord(org.id, { ticket });
    const refused = await storage.cases.create(
      second,
      info,
      [createdEvent(second)],
      [newMail(org.id)],
      [caseCreated(second)],
    );
    assert.ok(!refused.ok && refused.reason === 'active' && refused.active.id === r.id);
    const taken = requestRecord(org.id, { ticket: { system: 'zendesk', ticketId: 'T-2' }, code: r.code });
    assert.deepEqual(
      await storage.cases.create(
        taken,
        { ...info, ticketId: 'T-2' },
        [createdEvent(taken)],
        [],
        [caseCreated(taken)],
      ),
      {
        ok: false,
        reason: 'code_taken',
      },
    );
    assert.equal((await storage.outbox.list(org.id, 10)).length, 1, 'refused cases queue no mail');
    assert.equal(
      (await storage.webhooks.deliveries(org.id, w!.id, undefined, 10)).length,
      1,
      'nor a delivery',
    );
    assert.deepEqual(
      (await storage.cases.byTicket(org.id, 'zendesk', 'T-1', 10)).map((x) => x.id),
      [r.id],
    );
    const plain = requestRecord(org.id);
    await storage.requests.create(plain, [createdEvent(plain)], []);
    assert.equal(await storage.cases.get(org.id, plain.id), null, 'a plain request is no case');
  },
);

contract('session records: of one or many requests, and the ended ones for a report', async ({ storage }) => {
  const { org } = await seedOrg(storage);
  const r = requestRecord(org.id, { ticket });
  await storage.cases.create(r, { ...ticket, apiTokenId: null }, [createdEvent(r)], [], []);
  const rules = transitionRules();
  const step = (
    event: Parameters<typeof storage.requests.applyEvent>[2],
    s: number,
    reason: string | null = null,
  ) =>
    storage.requests.applyEvent(
      org.id,
      r.id,
      event,
      { at: at(s), actor: { type: 'user', id: 'a1', name: 'Alex' }, reason },
      rules,
    );
  await step('client_joined', 1);
  await step('connect_requested', 2);
  await step('consent_granted', 3);
  await step('peer_connected', 4, 'relayed');
  await step('session_ended', 64, 'agent_ended');
  const [s] = await storage.sessions.ofRequest(r.id);
  assert.deepEqual(
    [s?.startedAt, s?.endedAt, s?.durationMs, s?.connection, s?.outcome, s?.agent.id],
    [at(4), at(64), 60_000, 'relayed', 'agent_ended', 'a1'],
  );
  const many = await storage.sessions.ofRequests([r.id, randomUUID()]);
  assert.equal(many.get(r.id)?.length, 1);
  assert.deepEqual(await storage.sessions.ofRequests([]), new Map());
  const report = await storage.sessions.forReport(org.id, at(0), at(100), null);
  assert.deepEqual(report, [
    { requestId: r.id, startedAt: at(4), durationMs: 60_000, agentId: 'a1', agentName: 'Alex', ticket },
  ]);
  assert.deepEqual(await storage.sessions.forReport(org.id, at(0), at(100), 'someone-else'), []);
});

contract(
  'mail templates, notification settings and branding: put, read back, remove',
  async ({ storage }) => {
    const { org, admin } = await seedOrg(storage);
    const tpl = {
      kind: 'invite' as const,
      language: 'de' as const,
      subject: 'Hallo',
      body: 'Text',
      updatedAt: at(1),
    };
    await storage.mailTemplates.put(org.id, tpl, admin.id, [auditDraft(org.id, 1)]);
    assert.deepEqual(await storage.mailTemplates.get(org.id, 'invite', 'de'), tpl);
    await storage.mailTemplates.put(org.id, { ...tpl, subject: 'Hallo!' }, admin.id);
    assert.deepEqual(
      (await storage.mailTemplates.list(org.id)).map((t) => t.subject),
      ['Hallo!'],
    );
    assert.equal(await storage.mailTemplates.remove(org.id, 'invite', 'de', [auditDraft(org.id, 2)]), true);
    assert.equal(await storage.mailTemplates.remove(org.id, 'invite', 'de'), false);
    assert.equal(await storage.mailTemplates.get(org.id, 'invite', 'de'), null);

    const settings = { desktop: false, email: true, shareWithQueueIds: [], language: 'ja' as const };
    assert.equal(await storage.notificationSettings.get(admin.id), null);
    await storage.notificationSettings.put(admin.id, settings, at(2));
    assert.deepEqual(await storage.notificationSettings.get(admin.id), settings);
    assert.deepEqual(
      await storage.notificationSettings.ofUsers([admin.id, randomUUID()]),
      new Map([[admin.id, settings]]),
    );

    const meta = { at: at(3), by: admin.id, defaultColor: '#123456' };
    assert.equal(await storage.branding.get(org.id), null);
    await storage.branding.put(org.id, { displayName: 'Acme Help', color: '#ff0000', message: null }, meta, [
      auditDraft(org.id, 3),
    ]);
    const logo = {
      type: 'image/png' as const,
      bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47]),
      sha256: 'a'.repeat(64),
    };
    await storage.branding.setLogo(org.id, logo, meta);
    const b = await storage.branding.get(org.id);
    assert.deepEqual(
      [b?.displayName, b?.color, b?.logoType, b?.logoSha256],
      ['Acme Help', '#ff0000', 'image/png', logo.sha256],
    );
    assert.deepEqual(await storage.branding.logo(logo.sha256), { type: 'image/png', bytes: logo.bytes });
    await storage.branding.setLogo(org.id, null, meta);
    assert.equal((await storage.branding.get(org.id))?.logoSha256, null);
    assert.equal((await storage.branding.get(org.id))?.displayName, 'Acme Help', 'the rest is kept');
    assert.equal((await storage.audit.head()).seq, 3);
  },
);
