import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, waitFor } from '../testing/fixture.ts';
import { startHelpdeskSim } from '../testing/helpdesk-sim.ts';

const ALL = [
  'case.created',
  'customer.joined',
  'session.started',
  'session.ended',
  'case.closed',
  'case.expired',
];

test('a slow receiver does not hold up another, and each case stays in order while many go at once', async () => {
  const slow = await startHelpdeskSim();
  const fast = await startHelpdeskSim();
  slow.delayMs = 800;
  const f = await startFixture({ BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1' });
  try {
    for (const sim of [slow, fast]) {
      const hook = await f.api('POST', '/api/v1/webhooks', { url: sim.url, events: ALL });
      assert.equal(hook.status, 201);
      sim.secret = hook.body.secret;
    }
    const token = (await f.api('POST', '/api/v1/api-tokens', { name: 'T', scopes: ['service_cases:write'] }))
      .body.secret;
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const ticket = {
          system: 'x',
          ticketId: `W-${i}`,
          category: 'c',
          type: 't',
          priority: 'p',
          source: 's',
        };
        const c = await f.api('POST', '/api/v1/service-cases', { recipientName: `R${i}`, ticket }, token);
        assert.equal(c.status, 201);
        ids.push(c.body.id);
        assert.equal(
          (await f.api('POST', `/api/v1/service-cases/${c.body.id}/close`, undefined, token)).status,
          200,
        );
      }),
    );
    const t0 = Date.now();
    await waitFor(() => fast.received.length === 80, 10_000, 'the fast receiver gets everything');
    assert.ok(Date.now() - t0 < 800, 'without waiting for the slow one');
    assert.ok(slow.received.length < 80, `the slow one is still busy (${slow.received.length})`);
    await waitFor(() => slow.received.length === 80, 30_000, 'the slow receiver gets everything too');
    for (const sim of [slow, fast]) {
      for (const id of ids)
        assert.deepEqual(
          sim.ofCase(id).map((r) => r.event.type),
          ['case.created', 'case.closed'],
        );
      assert.ok(sim.received.every((r) => r.verified));
    }
  } finally {
    await f.stop();
    await slow.stop();
    await fast.stop();
  }
});

test('a delivery failing past its age is failed; an admin redelivers it; a rotated secret signs what follows', async () => {
  const sim = await startHelpdeskSim();
  sim.status = 500;
  const f = await startFixture({
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
    BECKON_WEBHOOK_RETRY_BASE_MS: '200',
    BECKON_WEBHOOK_RETRY_MAX_MS: '500',
    BECKON_WEBHOOK_MAX_AGE_HOURS: '0.001',
  });
  try {
    const hook = (await f.api('POST', '/api/v1/webhooks', { url: sim.url, events: ['case.created'] })).body;
    sim.secret = hook.secret;
    const token = (await f.api('POST', '/api/v1/api-tokens', { name: 'T', scopes: ['service_cases:write'] }))
      .body.secret;
    const ticket = (id: string) => ({
      system: 'x',
      ticketId: id,
      category: 'c',
      type: 't',
      priority: 'p',
      source: 's',
    });
    await f.api('POST', '/api/v1/service-cases', { recipientName: 'R', ticket: ticket('F-1') }, token);
    const failed = await waitFor(
      async () =>
        (await f.api('GET', `/api/v1/webhooks/${hook.id}/deliveries?status=failed`)).body.items[0] as
          { id: string; attempts: number; lastStatusCode: number } | undefined,
      15_000,
      'the delivery to fail for good',
    );
    assert.ok(failed.attempts >= 3, `retried first (${failed.attempts} attempts)`);
    assert.equal(failed.lastStatusCode, 500);
    assert.equal((await f.api('GET', '/api/v1/webhooks')).body.items[0].lastDelivery.status, 'failed');

    sim.status = 200;
    const again = await f.api('POST', `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`);
    assert.equal(again.status, 200);
    await waitFor(() => sim.received.length === 1, 10_000, 'the redelivery');
    assert.equal(sim.received[0]!.deliveryId, failed.id, 'the same delivery id');
    assert.ok(sim.received[0]!.verified);
    assert.equal(
      (await f.api('POST', `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`)).status,
      404,
    );

    const rotated = (await f.api('POST', `/api/v1/webhooks/${hook.id}/rotate-secret`)).body;
    assert.notEqual(rotated.secret, hook.secret);
    sim.secret = rotated.secret;
    await f.api('POST', '/api/v1/service-cases', { recipientName: 'R', ticket: ticket('F-2') }, token);
    await waitFor(() => sim.received.length === 2, 10_000, 'a delivery under the new secret');
    assert.ok(sim.received[1]!.verified, 'signed with the new secret');
  } finally {
    await f.stop();
    await sim.stop();
  }
});
