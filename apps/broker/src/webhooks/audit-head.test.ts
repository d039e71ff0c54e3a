import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startFixture, waitFor } from '../testing/fixture.ts';
import { startHelpdeskSim } from '../testing/helpdesk-sim.ts';

test('the audit head is sent, signed, to audit.head endpoints on its interval, and follows the log', async () => {
  const sim = await startHelpdeskSim();
  const f = await startFixture({
    BECKON_WEBHOOK_ALLOWLIST: '127.0.0.1',
    BECKON_AUDIT_HEAD_INTERVAL_MS: '300',
  });
  try {
    const hook = await f.api('POST', '/api/v1/webhooks', { url: sim.url, events: ['audit.head'] });
    assert.equal(hook.status, 201);
    sim.secret = hook.body.secret;
    const first = await waitFor(
      () => sim.received.find((r) => r.event.type === 'audit.head'),
      5000,
      'a head',
    );
    assert.equal(first.verified, true, 'signed like every delivery');
    assert.equal(first.eventHeader, 'audit.head');
    assert.ok(first.event.type === 'audit.head');
    // The announcer reads the head, then queues it for the endpoints that
    // exist by then: a tick between those two steps announces the head from
    // just before the endpoint's own registration was logged. Either way the
    // announced head must be an entry of the log, hash included.
    const items = (await f.api('GET', '/api/v1/audit?limit=500')).body.items as {
      seq: number;
      hash: string;
    }[];
    const head = items[0]!;
    const sent = first.event.data;
    const announced = items.find((e) => e.seq === sent.seq);
    assert.ok(announced, `the announced seq ${sent.seq} is in the log`);
    assert.equal(sent.hash, announced.hash);
    assert.ok(head.seq - announced.seq <= 1, 'at most the registration behind');
    // A new act moves the head; the next announcement carries it.
    assert.equal((await f.api('POST', '/api/v1/queues', { name: 'Night shift' })).status, 201);
    const later = await waitFor(
      () => sim.received.find((r) => r.event.type === 'audit.head' && r.event.data.seq > head.seq),
      5000,
      'a later head',
    );
    assert.equal(later.verified, true);
  } finally {
    await f.stop();
    await sim.stop();
  }
});
