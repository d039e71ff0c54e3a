import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sleep, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { startHelpdeskSim, type HelpdeskSim } from '../testing/helpdesk-sim.ts';
import { joinAgent, joinAssist } from '../testing/signal-client.ts';
import { startSmtpSink, type SmtpSink } from '../testing/smtp-sink.ts';

let f: Fixture;
let sim: HelpdeskSim;
let smtp: SmtpSink;
let adminId: string;
let writer: string;

before(async () => {
  smtp = await startSmtpSink();
  f = await startFixture({
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
    BECKON_SIGNAL_GRACE_MS: '300',
    BECKON_SMTP_URL: smtp.smtpUrl,
    BECKON_MAIL_FROM: 'Acme <no-reply@acme.example>',
  });
  sim = await startHelpdeskSim();
  adminId = (await f.api('GET', '/api/v1/me')).body.user.id;
  const hook = await f.api('POST', '/api/v1/webhooks', {
    url: sim.url,
    events: [
      'case.created',
      'customer.joined',
      'session.started',
      'session.ended',
      'case.closed',
      'case.expired',
    ],
    description: 'helpdesk simulator',
  });
  assert.equal(hook.status, 201, JSON.stringify(hook.body));
  assert.match(hook.body.secret, /^whsec_/);
  sim.secret = hook.body.secret;
  writer = await newToken('Helpdesk', ['service_cases:write', 'service_cases:read']);
});
after(async () => {
  await f.stop();
  await sim.stop();
  await smtp.stop();
});

async function newToken(name: string, scopes: string[]): Promise<string> {
  const res = await f.api('POST', '/api/v1/api-tokens', { name, scopes });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.match(res.body.secret, /^bkt_[A-Za-z0-9_-]{43}$/);
  return res.body.secret as string;
}

const ticket = (ticketId: string) => ({
  system: 'zendesk',
  ticketId,
  category: 'Printing',
  type: 'incident',
  priority: 'high',
  source: 'email',
});

const createCase = (token: string, ticketId: string, extra: Record<string, unknown> = {}) =>
  f.api(
    'POST',
    '/api/v1/service-cases',
    {
      recipientName: 'Jane Roe',
      assignee: { type: 'agent', id: adminId },
      ticket: ticket(ticketId),
      ...extra,
    },
    token,
  );

/** A real session through the signaling hub: join, connect, consent, connected, held, ended by the agent. */
async function session(caseId: string, displayCode: string, holdMs: number) {
  const assist = await joinAssist(f.url, { code: displayCode });
  const agent = await joinAgent(f.url, f.adminToken, caseId);
  agent.send({ type: 'connect', permissions: ['view', 'control'] });
  const ask = await assist.next('consent_request');
  assist.send({ type: 'consent', questionId: ask.questionId, granted: true });
  assert.equal((await agent.next('consent_result')).granted, true);
  assist.send({ type: 'peer_state', state: 'connected', relayed: false });
  await waitFor(
    async () => (await f.api('GET', `/api/v1/session-requests/${caseId}`)).body.status === 'in_session',
    5000,
    'in_session',
  );
  const t0 = Date.now();
  await sleep(holdMs);
  const mark = assist.messages.length;
  agent.send({ type: 'end_session' });
  await assist.next('session_ended', mark);
  return { assist, agent, heldMs: Date.now() - t0 };
}

test('a helpdesk creates a case, hears every event of a real session, closes it, and the ticket is free again', async () => {
  const res = await createCase(writer, 'ZD-1001', { recipientEmail: 'jane@example.com', language: 'de' });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const c = res.body;
  assert.match(c.displayCode, /^s\d{2}-\d{3}-\d{3}$/);
  assert.match(c.customerLink, /^http:\/\/127\.0\.0\.1:\d+\/j\/[A-Za-z0-9_-]{43}$/);
  assert.equal(c.supporterLink, `beckon://requests/${c.id}`);
  assert.ok(
    Date.parse(c.expiresAt) <= Date.now() + 24 * 3600e3 && Date.parse(c.expiresAt) > Date.now() + 23 * 3600e3,
  );
  assert.deepEqual(c.ticket, ticket('ZD-1001'));
  assert.equal(c.active, true);
  assert.deepEqual(c.createdBy, { type: 'api_token', id: c.createdBy.id, name: 'Helpdesk' });

  // The customer mail, in German, with the link.
  const invite = await waitFor(
    () => smtp.received.find((m) => m.to[0] === 'jane@example.com'),
    10_000,
    'invite',
  );
  assert.ok(invite.decoded.includes(c.customerLink), 'the customer link is in the mail');
  assert.ok(invite.decoded.includes('Fernwartung'), 'German');

  // One open case per ticket: the second is refused, naming the first.
  const second = await createCase(writer, 'ZD-1001');
  assert.equal(second.status, 409);
  assert.equal(second.body.error.code, 'conflict');
  assert.equal(second.body.error.details.activeCase.id, c.id);
  const check = await f.api(
    'GET',
    '/api/v1/service-cases/close-check?system=zendesk&ticketId=ZD-1001',
    undefined,
    writer,
  );
  assert.equal(check.status, 200);
  assert.equal(check.body.canClose, false);
  assert.equal(check.body.activeCase.id, c.id);
  assert.match(check.body.reason, /still open/);

  const { assist, agent, heldMs } = await session(c.id, c.displayCode, 1200);
  await waitFor(
    () => sim.ofCase(c.id).some((r) => r.event.type === 'session.ended'),
    10_000,
    'session.ended',
  );

  const closed = await f.api('POST', `/api/v1/service-cases/${c.id}/close`, undefined, writer);
  assert.equal(closed.status, 200);
  assert.equal(closed.body.status, 'closed');
  assert.equal(closed.body.active, false);
  assert.equal(closed.body.sessions.length, 1);
  const s = closed.body.sessions[0];
  assert.equal(s.agent.id, adminId);
  assert.equal(s.outcome, 'agent_ended');
  assert.equal(s.connection, 'direct');
  assert.equal(s.durationMs, Date.parse(s.endedAt) - Date.parse(s.startedAt));
  assert.ok(
    s.durationMs >= 1200 && s.durationMs <= heldMs + 1000,
    `duration ${s.durationMs} vs held ${heldMs}`,
  );
  assert.equal(closed.body.summary.sessionCount, 1);
  assert.equal(closed.body.summary.totalDurationMs, s.durationMs);
  // Closing is final at once: code and link are dead, the peers are shut out.
  assert.equal((await f.api('POST', '/api/v1/join', { code: c.displayCode }, null)).status, 404);
  assert.equal(
    (await f.api('POST', '/api/v1/join', { token: c.customerLink.split('/j/')[1] }, null)).status,
    404,
  );
  await assist.closed;
  await agent.closed;
  // Closing again answers the same, without an error.
  assert.equal(
    (await f.api('POST', `/api/v1/service-cases/${c.id}/close`, undefined, writer)).body.status,
    'closed',
  );

  await waitFor(() => sim.ofCase(c.id).some((r) => r.event.type === 'case.closed'), 10_000, 'case.closed');
  const events = sim.ofCase(c.id);
  assert.deepEqual(
    events.map((r) => r.event.type),
    ['case.created', 'customer.joined', 'session.started', 'session.ended', 'case.closed'],
  );
  for (const r of events) {
    assert.ok(r.verified, `signature of ${r.event.type}`);
    assert.equal(r.eventHeader, r.event.type);
    assert.match(r.deliveryId, /^[0-9a-f-]{36}$/);
    assert.ok(
      !r.raw.includes(c.customerLink.split('/j/')[1]) && !r.raw.includes(c.code),
      'no link or code in webhooks',
    );
  }
  const ended = events[3]!.event;
  assert.ok(ended.type === 'session.ended');
  assert.deepEqual(ended.data.session, s, 'session.ended carries the recorded start, end and duration');
  const caseClosed = events[4]!.event;
  assert.ok(caseClosed.type === 'case.closed');
  assert.equal(caseClosed.data.summary.totalDurationMs, s.durationMs);
  assert.equal(caseClosed.case.ticket.ticketId, 'ZD-1001');

  // The deliveries are listed with their last status.
  const hooks = (await f.api('GET', '/api/v1/webhooks')).body.items;
  assert.equal(hooks[0].lastDelivery.status, 'delivered');
  const deliveries = (await f.api('GET', `/api/v1/webhooks/${hooks[0].id}/deliveries?limit=200`)).body.items;
  assert.ok(
    deliveries
      .filter((d: { requestId: string }) => d.requestId === c.id)
      .every((d: { status: string }) => d.status === 'delivered'),
  );

  // Ticket free again: closing is allowed and a new case can be made.
  const after = await f.api(
    'GET',
    '/api/v1/service-cases/close-check?system=zendesk&ticketId=ZD-1001',
    undefined,
    writer,
  );
  assert.equal(after.body.canClose, true);
  const again = await createCase(writer, 'ZD-1001');
  assert.equal(again.status, 201);
  const list = await f.api('GET', '/api/v1/service-cases?system=zendesk&ticketId=ZD-1001', undefined, writer);
  assert.deepEqual(
    list.body.items.map((x: { id: string }) => x.id),
    [again.body.id, c.id],
  );
  assert.equal(list.body.items[1].sessions.length, 1);
  // The request detail shows its sessions too.
  const sessions = await f.api('GET', `/api/v1/session-requests/${c.id}/sessions`);
  assert.deepEqual(sessions.body.items, [s]);
  await f.api('POST', `/api/v1/service-cases/${again.body.id}/close`, undefined, writer);
});

test('several sessions per case, and a close in mid-session ends the session first', async () => {
  const c = (await createCase(writer, 'ZD-2002')).body;
  const first = await session(c.id, c.displayCode, 300);
  first.agent.ws.close();
  // The same customer, a second session; the case is closed while it runs.
  const agent = await joinAgent(f.url, f.adminToken, c.id);
  agent.send({ type: 'connect', permissions: ['view'] });
  await waitFor(
    () => first.assist.messages.filter((m) => m.type === 'consent_request').length === 2,
    5000,
    'ask',
  );
  const second = first.assist.messages.filter((m) => m.type === 'consent_request')[1];
  first.assist.send({ type: 'consent', questionId: second?.questionId, granted: true });
  await agent.next('consent_result');
  first.assist.send({ type: 'peer_state', state: 'connected', relayed: true });
  await waitFor(
    async () => (await f.api('GET', `/api/v1/session-requests/${c.id}`)).body.status === 'in_session',
    5000,
    'second session',
  );
  const closed = (await f.api('POST', `/api/v1/service-cases/${c.id}/close`, undefined, writer)).body;
  assert.equal(closed.sessions.length, 2);
  assert.equal(closed.sessions[1].outcome, 'closed');
  assert.equal(closed.sessions[1].connection, 'relayed');
  assert.ok(closed.sessions.every((x: { endedAt: string | null }) => x.endedAt !== null));
  await waitFor(() => sim.ofCase(c.id).some((r) => r.event.type === 'case.closed'), 10_000, 'case.closed');
  assert.deepEqual(
    sim.ofCase(c.id).map((r) => r.event.type),
    [
      'case.created',
      'customer.joined',
      'session.started',
      'session.ended',
      'session.started',
      'session.ended',
      'case.closed',
    ],
  );
});

test('an expired case frees its ticket and is announced', async () => {
  const soon = new Date(Date.now() + 800).toISOString();
  const c = (await createCase(writer, 'ZD-3003', { expiresAt: soon })).body;
  assert.equal((await createCase(writer, 'ZD-3003')).status, 409);
  await waitFor(() => sim.ofCase(c.id).some((r) => r.event.type === 'case.expired'), 10_000, 'case.expired');
  const next = await createCase(writer, 'ZD-3003');
  assert.equal(next.status, 201);
  await f.api('POST', `/api/v1/service-cases/${next.body.id}/close`, undefined, writer);
  // Links live at most 24 hours.
  const tooLong = await createCase(writer, 'ZD-3004', {
    expiresAt: new Date(Date.now() + 25 * 3600e3).toISOString(),
  });
  assert.equal(tooLong.status, 400);
  assert.match(tooLong.body.error.message, /24 hours/);
  // …nor can a case be stretched later through the session-request API.
  const open = (await createCase(writer, 'ZD-3005')).body;
  const stretched = await f.api('PATCH', `/api/v1/session-requests/${open.id}`, {
    expiresAt: new Date(Date.now() + 48 * 3600e3).toISOString(),
  });
  assert.equal(stretched.status, 400);
  assert.match(stretched.body.error.message, /24 hours/);
  await f.api('POST', `/api/v1/service-cases/${open.id}/close`, undefined, writer);
});

test('scopes: a reports-only token cannot create a case, no token can manage users or tokens', async () => {
  const reader = await newToken('Reports', ['reports:read']);
  const refused = await createCase(reader, 'ZD-4004');
  assert.equal(refused.status, 403);
  assert.match(refused.body.error.message, /service_cases:write/);
  assert.equal(
    (await f.api('GET', '/api/v1/reports/sessions?from=2026-01-01&to=2026-01-31&tz=UTC', undefined, reader))
      .status,
    200,
  );
  for (const [method, path, body] of [
    ['GET', '/api/v1/me'],
    ['GET', '/api/v1/users'],
    [
      'POST',
      '/api/v1/users',
      { email: 'x@example.com', name: 'X', password: 'a password long enough', role: 'admin' },
    ],
    ['GET', '/api/v1/api-tokens'],
    ['POST', '/api/v1/api-tokens', { name: 'Escalate', scopes: ['reports:read'] }],
    ['GET', '/api/v1/webhooks'],
    ['GET', '/api/v1/session-requests'],
  ] as const) {
    // A real token where only users may go: 403 saying so; a forged one stays 401.
    const res = await f.api(method, path, body, writer);
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(res.body.error.code, 'user_only', `${method} ${path}`);
    const forged = await f.api(method, path, body, `bkt_${'x'.repeat(43)}`);
    assert.equal(forged.status, 401, `${method} ${path}`);
    assert.equal(forged.body.error.code, 'invalid_token', `${method} ${path}`);
  }
  const unknown = await f.api(
    'GET',
    '/api/v1/service-cases?system=a&ticketId=b',
    undefined,
    `bkt_${'x'.repeat(43)}`,
  );
  assert.equal(unknown.status, 401);
  assert.equal(unknown.body.error.code, 'invalid_token');
  // Token sessions cannot drive signaling either: the hub wants a signed-in agent.
  await assert.rejects(joinAgent(f.url, writer, '00000000-0000-4000-8000-000000000000'), /401/);
});

test('revoking: refused while its cases are open, closeCases closes them, and the token fails at once', async () => {
  const token = await newToken('Old integration', ['service_cases:write', 'service_cases:read']);
  const c = (await createCase(token, 'ZD-5005')).body;
  const list = (await f.api('GET', '/api/v1/api-tokens')).body.items;
  const meta = list.find((t: { name: string }) => t.name === 'Old integration');
  assert.equal(meta.activeCases, 1);
  assert.ok(!JSON.stringify(list).includes(token), 'the secret is never listed');

  const refused = await f.api('DELETE', `/api/v1/api-tokens/${meta.id}`);
  assert.equal(refused.status, 409);
  assert.deepEqual(refused.body.error.details.openCaseIds, [c.id]);
  assert.equal(
    (await f.api('GET', `/api/v1/service-cases/${c.id}`, undefined, token)).status,
    200,
    'still valid',
  );

  const revoked = await f.api('DELETE', `/api/v1/api-tokens/${meta.id}?closeCases=true`);
  assert.equal(revoked.status, 200);
  assert.ok(revoked.body.revokedAt);
  assert.equal(revoked.body.activeCases, 0);
  const res = await f.api('GET', `/api/v1/service-cases/${c.id}`, undefined, token);
  assert.equal(res.status, 401);
  assert.equal(res.body.error.code, 'token_revoked');
  assert.equal((await f.api('GET', `/api/v1/service-cases/${c.id}`)).body.status, 'closed');
  await waitFor(() => sim.ofCase(c.id).some((r) => r.event.type === 'case.closed'), 10_000, 'case.closed');
});

test('the helpdesk API is in the OpenAPI document', async () => {
  const doc = (await f.api('GET', '/api/docs', undefined, null)).body;
  const create = doc.paths['/api/v1/service-cases'].post;
  const body = create.requestBody.content['application/json'].schema.$ref.split('/').pop();
  assert.ok(doc.components.schemas[body].properties.ticket);
  assert.match(create.description, /service_cases:write/);
  const report = doc.paths['/api/v1/reports/sessions'].get;
  const tz = report.parameters.find((p: { name: string }) => p.name === 'tz');
  assert.equal(tz.required, true);
  const redeliver = doc.paths['/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver'].post;
  assert.deepEqual(
    redeliver.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ['path:id', 'path:deliveryId'],
  );
  for (const path of [
    '/api/v1/api-tokens',
    '/api/v1/webhooks',
    '/api/v1/mail-templates',
    '/api/v1/me/notification-settings',
  ])
    assert.ok(doc.paths[path], path);
});
