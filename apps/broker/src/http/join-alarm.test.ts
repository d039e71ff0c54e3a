import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import WebSocket from 'ws';
import { AuditAction } from '@beckon/protocol';
import { login, startFixture, waitFor, type Fixture } from '../testing/fixture.ts';
import { startHelpdeskSim } from '../testing/helpdesk-sim.ts';

// When the broker-wide budget for join code guesses is
// spent, administrators are told on every channel: the console (live channel,
// admins only, and again on connecting while it lasts), a signed
// `security.alarm` webhook, the audit log and, as before, one mail.

/** A wrong code from a chosen loopback address (Linux routes all of 127/8 to lo). */
function guessFrom(f: Fixture, from: string, code: string): Promise<number> {
  const url = new URL('/api/v1/join', f.url);
  const payload = JSON.stringify({ code });
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

function live(f: Fixture, token: string) {
  const ws = new WebSocket(`${f.url.replace('http', 'ws')}/api/v1/live`, ['beckon.v1', `bearer.${token}`]);
  const messages: { type: string; kind?: string; at?: string }[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, messages, opened };
}

test('a spent guess budget reaches admins on the console, by webhook, in the audit log and by one mail', async () => {
  const sim = await startHelpdeskSim();
  const f = await startFixture({ BECKON_JOIN_MISS_BUDGET: '3', BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });
  try {
    const hook = await f.api('POST', '/api/v1/webhooks', { url: sim.url, events: ['security.alarm'] });
    assert.equal(hook.status, 201);
    sim.secret = hook.body.secret;
    const agentCreated = await f.api('POST', '/api/v1/users', {
      email: 'agent@example.com',
      name: 'Agent',
      password: 'a long agent password',
      role: 'support_agent',
    });
    assert.equal(agentCreated.status, 201);
    const agent = live(f, await login(f.url, 'agent@example.com', 'a long agent password'));
    const admin = live(f, f.adminToken);
    await Promise.all([agent.opened, admin.opened]);
    await waitFor(() => admin.messages.some((m) => m.type === 'hello'), 5000, 'hello');

    for (const [i, from] of ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'].entries())
      assert.equal(await guessFrom(f, from, `s1000000${i}`), 404);

    const alarm = await waitFor(
      () => admin.messages.find((m) => m.type === 'security_alarm'),
      5000,
      'the alarm on the admin’s live channel',
    );
    assert.equal(alarm.kind, 'join_guessing');
    const delivered = await waitFor(
      () => sim.received.find((r) => r.event.type === 'security.alarm'),
      5000,
      'the alarm webhook',
    );
    assert.equal(delivered.verified, true, 'signed like every delivery');
    assert.ok(delivered.event.type === 'security.alarm' && delivered.event.data.kind === 'join_guessing');
    const entries = (await f.api('GET', `/api/v1/audit?action=${AuditAction.JOIN_GUESSING_ALARM}`)).body
      .items;
    assert.equal(entries.length, 1);
    assert.equal(entries[0].actor.type, 'system');
    assert.equal(entries[0].details.budget, 3);
    const mails = async () =>
      ((await f.api('GET', '/api/v1/admin/outbox')).body.items as { kind: string }[]).filter(
        (m) => m.kind === 'join_guessing_alarm',
      );
    await waitFor(async () => (await mails()).length === 1, 5000, 'the alarm mail');

    // More guessing is the same attack: nothing is announced again.
    for (const from of ['127.0.0.6', '127.0.0.7']) await guessFrom(f, from, 's19999999');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(admin.messages.filter((m) => m.type === 'security_alarm').length, 1);
    assert.equal(sim.received.filter((r) => r.event.type === 'security.alarm').length, 1);
    assert.equal((await mails()).length, 1);
    // Agents are not told; an admin who connects while it lasts is, at once.
    assert.equal(
      agent.messages.some((m) => m.type === 'security_alarm'),
      false,
    );
    const later = live(f, f.adminToken);
    await later.opened;
    const again = await waitFor(
      () => later.messages.find((m) => m.type === 'security_alarm'),
      5000,
      'the alarm for a later admin',
    );
    assert.equal(again.at, alarm.at);
    for (const c of [agent, admin, later]) c.ws.close();
  } finally {
    await f.stop();
    await sim.stop();
  }
});
