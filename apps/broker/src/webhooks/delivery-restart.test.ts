import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type TestBroker } from '../testing/broker-process.ts';
import { ADMIN, login, request, sleep, waitFor } from '../testing/fixture.ts';
import { serviceNowTicket as ticket, startHelpdeskSim } from '../testing/helpdesk-sim.ts';
import { joinAgent, joinAssist } from '../testing/signal-client.ts';

test('receiver down and the broker SIGKILLed meanwhile: afterwards every event arrives once, in order per case', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-webhook-restart-'));
  // The receiver's port is known, but nothing listens on it for now.
  const sim = await startHelpdeskSim();
  await sim.stop();
  const env = {
    BECKON_ADMIN_EMAIL: ADMIN.email,
    BECKON_ADMIN_PASSWORD: ADMIN.password,
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
    BECKON_WEBHOOK_RETRY_BASE_MS: '100',
    BECKON_WEBHOOK_RETRY_MAX_MS: '400',
    BECKON_SIGNAL_GRACE_MS: '300',
  };
  let broker: TestBroker | undefined;
  try {
    broker = await startBroker(env, { dataDir });
    let url = broker.url;
    let admin = await login(url, ADMIN.email, ADMIN.password);
    const api = (method: string, path: string, body?: unknown, token = admin) =>
      request(url, method, path, body, token);
    const hook = await api('POST', '/api/v1/webhooks', {
      url: sim.url,
      events: [
        'case.created',
        'customer.joined',
        'session.started',
        'session.ended',
        'case.closed',
        'case.expired',
      ],
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    sim.secret = hook.body.secret;
    const token = (await api('POST', '/api/v1/api-tokens', { name: 'SN', scopes: ['service_cases:write'] }))
      .body.secret as string;
    const newCase = async (id: string) => {
      const res = await api(
        'POST',
        '/api/v1/service-cases',
        { recipientName: id, ticket: ticket(id) },
        token,
      );
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body as { id: string; displayCode: string };
    };
    const a = await newCase('SN-A');
    const b = await newCase('SN-B');
    const c = await newCase('SN-C');

    // Case A: a whole session. Case B: the customer arrives. Case C: closed at once.
    const assistA = await joinAssist(url, { code: a.displayCode });
    const agent = await joinAgent(url, admin, a.id);
    agent.send({ type: 'connect', permissions: ['view'] });
    const ask = await assistA.next('consent_request');
    assistA.send({ type: 'consent', questionId: ask.questionId, granted: true });
    await agent.next('consent_result');
    assistA.send({ type: 'peer_state', state: 'connected' });
    await waitFor(
      async () => (await api('GET', `/api/v1/session-requests/${a.id}`)).body.status === 'in_session',
    );
    await sleep(500);
    agent.send({ type: 'end_session' });
    await assistA.next('session_ended');
    await joinAssist(url, { code: b.displayCode });
    assert.equal((await api('POST', `/api/v1/service-cases/${c.id}/close`, undefined, token)).status, 200);

    // Deliveries were tried and failed: the receiver is down.
    await waitFor(
      async () => {
        const items = (await api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`)).body.items as {
          attempts: number;
          status: string;
        }[];
        return (
          items.length === 8 &&
          items.some((d) => d.attempts > 0) &&
          items.every((d) => d.status === 'pending')
        );
      },
      10_000,
      'failed attempts',
    );

    await broker.stop('SIGKILL');
    broker = await startBroker(env, { dataDir });
    url = broker.url;
    admin = await login(url, ADMIN.email, ADMIN.password);
    // More events while the receiver is still down, on the restarted broker.
    assert.equal((await api('POST', `/api/v1/service-cases/${a.id}/close`, undefined, token)).status, 200);
    assert.equal((await api('POST', `/api/v1/service-cases/${b.id}/close`, undefined, token)).status, 200);
    await sleep(800);
    assert.equal(sim.received.length, 0);

    await sim.start();
    const expected: Record<string, string[]> = {
      [a.id]: ['case.created', 'customer.joined', 'session.started', 'session.ended', 'case.closed'],
      [b.id]: ['case.created', 'customer.joined', 'case.closed'],
      [c.id]: ['case.created', 'case.closed'],
    };
    await waitFor(() => sim.received.length >= 10, 20_000, `all ten deliveries (got ${sim.received.length})`);
    await sleep(1000); // anything extra would arrive now
    for (const [id, types] of Object.entries(expected)) {
      assert.deepEqual(
        sim.ofCase(id).map((r) => r.event.type),
        types,
        `case ${id}`,
      );
    }
    assert.equal(sim.received.length, 10, 'exactly the events that happened');
    assert.equal(new Set(sim.received.map((r) => r.event.id)).size, 10, 'each event once');
    assert.ok(
      sim.received.every((r) => r.verified),
      'signatures verify',
    );
    const ended = sim.ofCase(a.id)[3]!.event;
    assert.ok(ended.type === 'session.ended');
    assert.ok(ended.data.session.durationMs! >= 500);
    const items = (await api('GET', `/api/v1/webhooks/${hook.body.id}/deliveries`)).body.items as {
      status: string;
    }[];
    assert.ok(items.every((d) => d.status === 'delivered'));
  } finally {
    await broker?.stop();
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
